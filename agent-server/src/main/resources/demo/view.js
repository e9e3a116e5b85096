// What the page shows: the transcript, tool calls, the last turn's latency waterfall, the call's cost and status.
// The data-testid hooks in index.html are a contract automation relies on; this module only fills them.

const STAGES = [
  ['stt_final_ms', 'STT final'],
  ['first_token_ms', 'first token'],
  ['first_audio_ms', 'first audio'],
  ['played_ms', 'played'],
];

export class View {
  constructor(doc) {
    this.doc = doc;
    this.el = (id) => doc.querySelector(`[data-testid="${id}"]`);
    this.transcript = this.el('transcript');
    this.tools = this.el('tool-calls');
    this.latency = this.el('latency');
    this.cost = this.el('cost');
    this.statusEl = this.el('status');
    this.hint = doc.getElementById('hint');
    this.userLine = null;          // the user utterance being transcribed (partials), null between utterances
    this.agentLines = new Map();   // turn → the agent's utterance element for that turn
    this.toolRows = new Map();     // tool call id → its row
    this.costs = new Map();        // turn → its cost in USD, as the server formatted it
    this.noticeEl = doc.getElementById('notice');
  }

  status(mode, detail) {
    this.statusEl.dataset.mode = mode;
    this.statusEl.textContent = detail;
    this.statusEl.title = detail;
  }

  /** A line about the mode (e.g. what works offline) under the opening hint. */
  hintNote(text) {
    if (!this.hint) return;
    const note = this.doc.createElement('span');
    note.className = 'note';
    note.textContent = text;
    this.hint.append(this.doc.createElement('br'), note);
  }

  /** Whether the agent's voice is playing, as data-playing on the transcript (styling, automation). */
  playing(on) {
    this.transcript.dataset.playing = on;
  }

  /** A user transcript: partials grey the current utterance, the final fixes it in place. */
  userTranscript(text, final) {
    if (!this.userLine) this.userLine = this.utterance('user');
    this.userLine.querySelector('.text').textContent = text;
    this.userLine.classList.toggle('partial', !final);
    if (final) this.userLine = null;
    this.scroll();
  }

  /** The agent's speech for a turn: segments join into one utterance per turn, each marked with its kind. */
  agentSpeech(turn, text, kind) {
    let line = this.agentLines.get(turn);
    if (!line) {
      line = this.utterance('agent');
      this.agentLines.set(turn, line);
    }
    const body = line.querySelector('.text');
    const segment = this.doc.createElement('span');
    segment.dataset.kind = kind; // reply, filler, greeting, …: automation tells the model's answer from the runtime's
    segment.textContent = text;
    if (body.childElementCount > 0) body.append(' ');
    body.append(segment);
    this.scroll();
  }

  agentInterrupted(turn) {
    this.agentLines.get(turn)?.classList.add('interrupted');
  }

  /** A tool call's row: one per call id, whichever of its events arrives first. */
  toolRow(id, name) {
    let row = this.toolRows.get(id);
    if (!row) {
      row = this.doc.createElement('li');
      row.className = 'running';
      row.innerHTML = '<span class="ms">…</span><span class="name"></span> <span class="args"></span>';
      row.querySelector('.name').textContent = name;
      this.tools.append(row);
      this.toolRows.set(id, row);
    }
    return row;
  }

  toolStarted(id, name, args) {
    this.toolRow(id, name).querySelector('.args').textContent = args == null ? '' : JSON.stringify(args);
  }

  toolFinished(id, name, ms, error) {
    const row = this.toolRow(id, name);
    row.className = error ? 'failed' : 'done';
    row.querySelector('.ms').textContent = `${ms} ms${error ? ' · error' : ''}`;
  }

  /** The last turn's waterfall: each stage's bar spans from the previous stage to its own time. */
  waterfall(turn, times) {
    const known = STAGES.filter(([key]) => Number.isFinite(times[key]));
    const total = Math.max(1, ...known.map(([key]) => times[key]));
    const rows = [];
    let previous = 0;
    for (const [key, label] of STAGES) {
      const at = times[key];
      const row = this.doc.createElement('div');
      row.className = 'row';
      row.dataset.stage = key.replace(/_ms$/, '');
      row.innerHTML = '<span class="label"></span><span class="track"><span class="bar"></span></span><span class="ms"></span>';
      row.querySelector('.label').textContent = label;
      if (Number.isFinite(at)) {
        const bar = row.querySelector('.bar');
        bar.style.left = `${(100 * previous) / total}%`;
        bar.style.width = `${(100 * Math.max(0, at - previous)) / total}%`;
        row.querySelector('.ms').textContent = `${Math.round(at)} ms`;
        previous = at;
      } else {
        row.querySelector('.bar').remove(); // the turn did not reach this stage (typed, or interrupted)
        row.querySelector('.ms').textContent = '–';
      }
      rows.push(row);
    }
    const caption = this.doc.createElement('p');
    caption.className = 'turn-cost';
    this.from = times.typed ? 'typed text' : 'end of speech';
    this.latency.dataset.turn = turn;
    this.latency.replaceChildren(...rows, caption);
    this.caption(turn);
  }

  turnCost(turn, usd) {
    this.costs.set(turn, usd);
    if (this.latency.dataset.turn == turn) this.caption(turn);
  }

  caption(turn) {
    const caption = this.latency.querySelector('.turn-cost');
    const usd = this.costs.get(turn);
    caption.textContent = `turn ${turn} · from ${this.from}` + (usd == null ? '' : ` · cost $${usd}`);
  }

  callCost(usd, cacheRatio) {
    this.cost.textContent = `$${usd} · cache ${Math.round(100 * (cacheRatio || 0))}%`;
  }

  /** A line about the call itself (ended, refused, failed): not an utterance, so outside the transcript. */
  notice(text) {
    this.noticeEl.textContent = text;
    this.noticeEl.hidden = !text;
  }

  utterance(role) {
    if (this.hint) this.hint.hidden = true;
    const line = this.doc.createElement('li');
    line.dataset.role = role;
    line.innerHTML = '<span class="who"></span><span class="text"></span>';
    line.querySelector('.who').textContent = role === 'user' ? 'you' : 'agent';
    this.transcript.append(line);
    return line;
  }

  scroll() {
    this.transcript.lastElementChild?.scrollIntoView({ block: 'nearest' });
  }
}
