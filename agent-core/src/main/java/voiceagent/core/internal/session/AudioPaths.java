package voiceagent.core.internal.session;

import java.io.ByteArrayOutputStream;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voiceagent.audio.ALaw;
import voiceagent.audio.AudioConverter;
import voiceagent.audio.AudioFormat;
import voiceagent.audio.AudioFormat.Encoding;
import voiceagent.audio.EnergyVad;
import voiceagent.audio.LightningConfig;
import voiceagent.audio.MuLaw;
import voiceagent.audio.Pcm16;
import voiceagent.audio.PulseStream;

/**
 * The audio conversions of one call, chosen once from the transport's formats so that nothing is converted when
 * nothing has to be. Inbound, Pulse takes μ-law, A-law and PCM16 at its rates as they are; only other formats are
 * converted (to PCM16 16 kHz). Outbound, Lightning is asked for the transport's rate: PCM16 goes out as it comes,
 * μ-law and A-law are encoded by table; a resampler exists only when Lightning cannot produce the transport's rate.
 *
 * <p>Thread contract: confined to the call's loop.
 */
final class AudioPaths {
  private static final Logger log = LoggerFactory.getLogger(AudioPaths.class);
  private static final Set<Integer> PULSE_RATES = Set.of(8000, 16000, 22050, 24000, 44100, 48000);
  /** Caller audio kept while the Pulse socket opens: 10 s, so the first words are not lost. */
  private static final int PENDING_SECONDS = 10;

  private enum Out { PASS, MULAW_TABLE, ALAW_TABLE, CONVERT }

  private final AudioFormat in;
  private final AudioFormat pulseFormat;
  private final AudioConverter inConverter; // null: Pulse takes the transport's audio as it is
  private final int lightningRate;
  private final Out out;
  private final AudioConverter outConverter; // only for Out.CONVERT
  private final double outBytesPerSecond;
  private byte[] inBuffer = new byte[0];
  private short[] pcm = new short[0];
  private ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private int lastLength;

  AudioPaths(AudioFormat in, AudioFormat outFormat) {
    this.in = in;
    boolean pulseTakes = in.channels() == 1 && in.encoding() != Encoding.PCM16_BE
        && PULSE_RATES.contains(in.sampleRate());
    this.pulseFormat = pulseTakes ? in : AudioFormat.PCM16_16K;
    this.inConverter = pulseTakes ? null : AudioConverter.create(in, pulseFormat);
    int rate = outFormat.sampleRate();
    this.lightningRate = LightningConfig.supportsSampleRate(rate) ? rate : 24_000;
    AudioFormat lightning = new AudioFormat(Encoding.PCM16_LE, lightningRate, 1);
    if (lightningRate != rate || outFormat.channels() != 1 || outFormat.encoding() == Encoding.PCM16_BE) {
      this.out = Out.CONVERT;
      this.outConverter = AudioConverter.create(lightning, outFormat);
    } else {
      this.out = switch (outFormat.encoding()) {
        case MULAW -> Out.MULAW_TABLE;
        case ALAW -> Out.ALAW_TABLE;
        default -> Out.PASS;
      };
      this.outConverter = null;
    }
    this.outBytesPerSecond = outFormat.bytesPerSecond();
  }

  AudioFormat pulseFormat() {
    return pulseFormat;
  }

  int lightningRate() {
    return lightningRate;
  }

  double bytesPerSecond() {
    return outBytesPerSecond;
  }

  String inboundPath() {
    return inConverter == null ? "passthrough " + in : "convert " + in + " -> " + pulseFormat;
  }

  String outboundPath() {
    return switch (out) {
      case PASS -> "passthrough pcm16 " + lightningRate;
      case MULAW_TABLE -> "mulaw-table " + lightningRate;
      case ALAW_TABLE -> "alaw-table " + lightningRate;
      case CONVERT -> "convert pcm16 " + lightningRate + " -> " + outConverter.to();
    };
  }

  /** Whether any resampler or converter runs on this call's audio. */
  boolean converts() {
    return inConverter != null || outConverter != null;
  }

  /** Caller audio to Pulse, converted only when Pulse cannot take it; kept while the socket opens. */
  void toPulse(PulseStream pulse, byte[] data, int off, int len) {
    byte[] src = data;
    int from = off;
    int n = len;
    if (inConverter != null) {
      int need = inConverter.maxOutputBytes(len);
      if (inBuffer.length < need) inBuffer = new byte[need];
      n = inConverter.convert(data, off, len, inBuffer, 0);
      src = inBuffer;
      from = 0;
    }
    if (pulse != null) {
      pulse.sendAudio(src, from, n);
    } else if (pending != null && pending.size() + n <= pulseFormat.bytesPerSecond() * PENDING_SECONDS) {
      pending.write(src, from, n);
    } else if (pending != null) {
      log.atWarn().addKeyValue("seconds", PENDING_SECONDS).log("caller audio dropped: pulse not open yet");
      pending = null;
    }
  }

  /** Sends what arrived before the Pulse socket opened. */
  void drainPending(PulseStream pulse) {
    if (pending != null && pending.size() > 0) {
      byte[] b = pending.toByteArray();
      pulse.sendAudio(b, 0, b.length);
    }
    pending = null;
  }

  /** Decodes caller audio to samples for the local VAD (a table lookup per sample for G.711). */
  void toVad(EnergyVad vad, byte[] data, int off, int len) {
    int samples = in.encoding().bytesPerSample() == 1 ? len : len / 2;
    if (pcm.length < samples) pcm = new short[samples];
    switch (in.encoding()) {
      case MULAW -> MuLaw.decode(data, off, len, pcm, 0);
      case ALAW -> ALaw.decode(data, off, len, pcm, 0);
      case PCM16_LE -> Pcm16.toShorts(data, off, samples, pcm, 0, false);
      case PCM16_BE -> Pcm16.toShorts(data, off, samples, pcm, 0, true);
    }
    vad.process(pcm, 0, samples);
  }

  /**
   * Lightning's PCM16 in the transport's format: the same array for PCM16; for μ-law and A-law the same array too,
   * encoded in place, when {@code owned} (a Lightning chunk's array, which nobody else reads), else a new one (a
   * cached line's audio is shared); a new array for a conversion. The queue keeps the array until sent.
   * {@link #lastLength()} gives the valid length.
   */
  byte[] toTransport(byte[] pcm16, int len, boolean owned) {
    switch (out) {
      case PASS -> {
        lastLength = len;
        return pcm16;
      }
      case MULAW_TABLE, ALAW_TABLE -> {
        int n = len / 2;
        byte[] b = owned ? pcm16 : new byte[n]; // in place is safe: byte i is written after bytes 2i and 2i+1 are read
        boolean mu = out == Out.MULAW_TABLE;
        for (int i = 0; i < n; i++) {
          short s = (short) ((pcm16[2 * i + 1] << 8) | (pcm16[2 * i] & 0xFF));
          b[i] = mu ? MuLaw.encode(s) : ALaw.encode(s);
        }
        lastLength = n;
        return b;
      }
      default -> {
        byte[] b = new byte[outConverter.maxOutputBytes(len)];
        lastLength = outConverter.convert(pcm16, 0, len, b, 0);
        return b;
      }
    }
  }

  int lastLength() {
    return lastLength;
  }
}
