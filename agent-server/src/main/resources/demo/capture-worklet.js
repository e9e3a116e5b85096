// The microphone's AudioWorklet: resamples the device rate (`sampleRate`, often 44.1 or 48 kHz) to 16 kHz once,
// here, so the server never resamples inbound audio, and posts 20 ms frames of PCM16 LE mono to the page.
//
// Downsampling low-passes first (a windowed-sinc FIR just under the new Nyquist frequency, so speech above 8 kHz does
// not alias into the band Pulse listens to), then reads the filtered signal at the output instants by linear
// interpolation. At 16 kHz in, samples pass through untouched.

const FRAME_MS = 20;
const TAPS = 33; // ~0.7 ms at 48 kHz: enough stop-band for speech, a few multiplies per input sample

function lowPass(cutoff, taps) {
  // cutoff in cycles per input sample; Blackman-windowed sinc, normalised to unit gain at DC.
  const h = new Float32Array(taps);
  const mid = (taps - 1) / 2;
  let sum = 0;
  for (let i = 0; i < taps; i++) {
    const x = i - mid;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (taps - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (taps - 1));
    h[i] = sinc * w;
    sum += h[i];
  }
  for (let i = 0; i < taps; i++) h[i] /= sum;
  return h;
}

class Pcm16Capture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const outRate = options.processorOptions.targetRate;
    this.step = sampleRate / outRate; // input samples per output sample
    this.frame = new Int16Array((outRate * FRAME_MS) / 1000);
    this.filled = 0;
    this.taps = this.step > 1 ? lowPass((0.45 * outRate) / sampleRate, TAPS) : null;
    this.history = new Float32Array(TAPS);
    this.head = 0;
    this.previous = 0; // the filtered sample before the current one
    this.t = 1;        // where the next output sample falls, in input samples after `previous`
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true; // no input connected yet (or the track ended): keep the node alive
    for (let i = 0; i < channel.length; i++) {
      const x = channel[i];
      if (this.step === 1) {
        this.emit(x);
        continue;
      }
      const y = this.taps ? this.filter(x) : x;
      while (this.t <= 1) {
        this.emit(this.previous + (y - this.previous) * this.t);
        this.t += this.step;
      }
      this.t -= 1;
      this.previous = y;
    }
    return true;
  }

  filter(x) {
    const history = this.history;
    history[this.head] = x;
    let acc = 0;
    let k = this.head;
    for (let j = 0; j < TAPS; j++) {
      acc += this.taps[j] * history[k];
      k = k === 0 ? TAPS - 1 : k - 1;
    }
    this.head = this.head === TAPS - 1 ? 0 : this.head + 1;
    return acc;
  }

  emit(sample) {
    const s = Math.max(-1, Math.min(1, sample));
    this.frame[this.filled++] = s < 0 ? s * 0x8000 : s * 0x7fff;
    if (this.filled === this.frame.length) {
      // Int16Array is little-endian on every platform browsers run on, so its bytes are PCM16 LE as they are.
      const out = this.frame.buffer.slice(0);
      this.port.postMessage(out, [out]);
      this.filled = 0;
    }
  }
}

registerProcessor('pcm16-capture', Pcm16Capture);
