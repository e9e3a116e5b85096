// The demo page: one call at a time over a WebSocket (protocol in docs/ARCHITECTURE.md, "Browser demo").
// A call starts with the first Talk or Send and ends when either side hangs up; the next action starts a new one.

import { Microphone, Player, audioContext } from './audio.js';
import { View } from './view.js';

const view = new View(document);
const talk = document.querySelector('[data-testid="talk"]');
const form = document.getElementById('typed');
const input = document.querySelector('[data-testid="text-input"]');

class Call {
  constructor(onEnd) {
    this.onEnd = onEnd;
    this.outbox = []; // messages sent before the socket opened
    this.ended = false;
    this.player = new Player((name) => this.send({ type: 'played', name }), (playing) => view.playing(playing));
    const url = new URL('ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.ws = new WebSocket(url);
    this.ws.binaryType = 'arraybuffer';
    this.ws.onopen = () => this.outbox.splice(0).forEach((m) => this.ws.send(m));
    this.ws.onmessage = (e) => (typeof e.data === 'string' ? this.onEvent(JSON.parse(e.data)) : this.player.play(e.data));
    this.ws.onclose = (e) => {
      console.info(`call socket closed: ${e.code} ${e.reason}`);
      this.end();
    };
  }

  send(message) {
    const data = typeof message === 'string' || message instanceof ArrayBuffer ? message : JSON.stringify(message);
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
    else if (this.ws.readyState === WebSocket.CONNECTING) this.outbox.push(data);
  }

  hangUp() {
    this.send({ type: 'hangup' });
    this.end();
  }

  end() {
    if (this.ended) return;
    this.ended = true;
    this.player.clear();
    if (this.ws.readyState <= WebSocket.OPEN) this.ws.close(1000);
    this.onEnd(this);
  }

  onEvent(e) {
    switch (e.type) {
      case 'mark': this.player.mark(e.name); break;
      case 'clear':
        this.player.clear(); // at once: the caller is talking over the agent
        this.send({ type: 'cleared' });
        break;
      case 'hangup': view.notice(`Call ended (${e.reason}). Talk or type to start a new one.`); this.end(); break;
      case 'status': view.status(e.mode, e.detail); break;
      case 'transcript': view.userTranscript(e.text, e.final); break;
      case 'agent': view.agentSpeech(e.turn, e.text, e.kind); break;
      case 'interrupted': view.agentInterrupted(e.turn); break;
      case 'tool_started': view.toolStarted(e.id, e.name, e.arguments); break;
      case 'tool_finished': view.toolFinished(e.id, e.name, e.ms, e.error); break;
      case 'latency': view.waterfall(e.turn, e); break;
      case 'cost':
        view.turnCost(e.turn, e.turn_usd);
        view.callCost(e.call_usd, e.cache_ratio);
        break;
      case 'error': view.notice(e.message); break;
      default: console.warn('unknown event', e);
    }
  }
}

let call = null;
const microphone = new Microphone((frame) => call?.send(frame));

function currentCall() {
  if (!call) {
    view.notice('');
    call = new Call((ended) => {
      if (call === ended) call = null;
      stopTalking();
    });
  }
  return call;
}

function stopTalking() {
  microphone.stop();
  talk.setAttribute('aria-pressed', 'false');
  talk.textContent = 'Talk';
}

talk.addEventListener('click', async () => {
  if (microphone.on) {
    stopTalking();
    return;
  }
  audioContext(); // inside the click: the browser lets audio start now
  talk.disabled = true;
  try {
    currentCall();
    await microphone.start();
    talk.setAttribute('aria-pressed', 'true');
    talk.textContent = 'Stop';
  } catch (e) {
    stopTalking();
    view.notice(`Microphone unavailable: ${e.message}. You can still type.`);
  } finally {
    talk.disabled = false;
  }
});

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  audioContext();
  currentCall().send({ type: 'text', text });
  input.value = '';
});

// Leaving the page hangs up at once rather than leaving the server to notice the closed socket.
addEventListener('pagehide', () => call?.hangUp());

fetch('status')
  .then((r) => r.json())
  .then((s) => {
    view.status(s.mode, s.detail);
    if (s.note) view.hintNote(s.note);
  })
  .catch(() => view.status('offline', 'server unreachable'));
