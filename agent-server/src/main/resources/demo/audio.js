// The page's audio: the microphone through an AudioWorklet (16 kHz PCM16 frames out), and the agent's 24 kHz PCM16
// played as it streams, with playback marks reported from the audio clock and an immediate stop on clear.

export const MIC_RATE = 16000;
export const AGENT_RATE = 24000;
// Audio arriving after the scheduled queue ran dry starts this far ahead, so a frame arriving a little late does not
// click; small next to the server's own pacing lead.
const RESTART_LEAD_S = 0.03;

/** One AudioContext for both directions, created on the first click (browsers only start audio on a gesture). */
export function audioContext() {
  if (!audioContext.ctx) audioContext.ctx = new AudioContext({ latencyHint: 'interactive' });
  const ctx = audioContext.ctx;
  if (ctx.state === 'suspended') ctx.resume();
  return ctx;
}

export class Microphone {
  constructor(onFrame) {
    this.onFrame = onFrame; // receives each 20 ms frame as an ArrayBuffer of PCM16 LE at 16 kHz
    this.stream = null;
    this.nodes = [];
  }

  get on() {
    return this.stream !== null;
  }

  async start() {
    const ctx = audioContext();
    // The worklet is loaded and the context running before the microphone opens, so the first words reach the
    // worklet as soon as the device delivers them.
    await ctx.audioWorklet.addModule(new URL('capture-worklet.js', import.meta.url));
    await ctx.resume();
    const capture = new AudioWorkletNode(ctx, 'pcm16-capture', {
      numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit',
      processorOptions: { targetRate: MIC_RATE },
    });
    capture.port.onmessage = (e) => this.onFrame(e.data);
    // Echo cancellation keeps the agent's own voice out of the microphone, so only the user's speech barges in.
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    });
    const source = ctx.createMediaStreamSource(this.stream);
    // A node is only rendered while it leads to the destination; a muted gain keeps the mic out of the speakers.
    const mute = new GainNode(ctx, { gain: 0 });
    source.connect(capture).connect(mute).connect(ctx.destination);
    this.nodes = [source, capture, mute];
    console.info(`microphone on: ${ctx.sampleRate} Hz resampled to ${MIC_RATE} Hz`);
  }

  stop() {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.nodes.forEach((n) => n.disconnect());
    if (this.nodes[1]) this.nodes[1].port.onmessage = null;
    this.stream = null;
    this.nodes = [];
  }
}

export class Player {
  constructor(onPlayed, onPlaying) {
    this.onPlayed = onPlayed; // receives a mark's name once the audio before it has played
    this.onPlaying = onPlaying; // receives true when the agent's voice starts, false when it stops
    this.sources = new Set(); // scheduled, not yet ended
    this.last = null;         // the last scheduled source; marks wait for its end
    this.endsAt = 0;          // audio-clock time at which the scheduled audio ends
  }

  /** Schedules a chunk of PCM16 LE mono at 24 kHz right after what is already queued. */
  play(bytes) {
    const ctx = audioContext();
    const pcm = new Int16Array(bytes);
    if (pcm.length === 0) return;
    const buffer = ctx.createBuffer(1, pcm.length, AGENT_RATE);
    const samples = buffer.getChannelData(0);
    for (let i = 0; i < pcm.length; i++) samples[i] = pcm[i] / 0x8000;
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(ctx.destination);
    const at = Math.max(this.endsAt, ctx.currentTime + (this.endsAt < ctx.currentTime ? RESTART_LEAD_S : 0));
    source.start(at);
    this.endsAt = at + buffer.duration;
    source.marks = [];
    source.onended = () => {
      this.sources.delete(source);
      if (this.last === source) this.last = null;
      source.marks.forEach((name) => this.onPlayed(name));
      if (this.sources.size === 0) this.onPlaying(false);
    };
    if (this.sources.size === 0) this.onPlaying(true);
    this.sources.add(source);
    this.last = source;
  }

  /** Reports the mark once everything scheduled so far has played (at once when nothing is queued). */
  mark(name) {
    if (this.last) this.last.marks.push(name);
    else this.onPlayed(name);
  }

  /** Stops playback at once and forgets the queue; the marks in it never play. */
  clear() {
    for (const source of this.sources) {
      source.onended = null;
      source.stop();
      source.disconnect();
    }
    if (this.sources.size > 0) this.onPlaying(false);
    this.sources.clear();
    this.last = null;
    this.endsAt = 0;
  }
}
