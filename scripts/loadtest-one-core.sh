#!/usr/bin/env bash
# The one-core benchmark of docs/BENCHMARKS.md: `voice-agent serve` pinned to CPU 0, the upstream emulators (realistic
# delays) and the load generator pinned to CPU 1, all on loopback. Arguments go to `voice-agent loadtest`, e.g.
#   scripts/loadtest-one-core.sh --calls 1,200,300,400,500 --duration 30s --ramp 5 --json
# Everything it starts is stopped on exit; the emulate and serve logs are kept (and named) when something failed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
server_core=${SERVER_CORE:-0}
driver_core=${DRIVER_CORE:-1}
port=${PORT:-18080}
emu_port=${EMU_PORT:-18100}
logs=$(mktemp -d)
pids=()
cleanup() {
  status=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$status" -eq 0 ]; then rm -rf "$logs"; else echo "loadtest-one-core: logs kept in $logs" >&2; fi
}
trap cleanup EXIT

./voice-agent --version >/dev/null   # builds once, before anything is timed

taskset -c "$driver_core" ./voice-agent emulate --port "$emu_port" \
  --ttft-ms 200 --stt-final-ms 150 --tts-first-audio-ms 150 >"$logs/emulate.out" 2>"$logs/emulate.err" &
pids+=($!)
for _ in $(seq 600); do
  grep -q LIGHTNING_BASE_URL "$logs/emulate.out" 2>/dev/null && break
  kill -0 "${pids[0]}" 2>/dev/null || break
  sleep 0.1
done
grep -q LIGHTNING_BASE_URL "$logs/emulate.out" || { tail -20 "$logs/emulate.err"; exit 1; }
eval "$(cat "$logs/emulate.out")"
export PULSE_BASE_URL ELECTRON_BASE_URL LIGHTNING_BASE_URL
# The emulated Electron has no plan cap: raise the governor so it measures the runtime, not a queue.
export ELECTRON_MAX_CONCURRENCY=${ELECTRON_MAX_CONCURRENCY:-1000} VOICE_AGENT_MAX_CALLS=${VOICE_AGENT_MAX_CALLS:-4000}
export VOICE_AGENT_HOST=127.0.0.1
# The weather tool's offline table: a loopback benchmark must not call Open-Meteo over the internet.
export WEATHER_SOURCE=${WEATHER_SOURCE:-offline}

# SERVE_JAVA_OPTS: JVM options of the server only (a JFR recording, a heap size).
VOICE_AGENT_JAVA_OPTS="${SERVE_JAVA_OPTS:-${VOICE_AGENT_JAVA_OPTS:-}}" taskset -c "$server_core" ./voice-agent serve --no-auth --port "$port" >"$logs/serve.out" 2>"$logs/serve.err" &
pids+=($!)
for _ in $(seq 600); do
  grep -q "listening on" "$logs/serve.out" 2>/dev/null && break
  kill -0 "${pids[1]}" 2>/dev/null || break
  sleep 0.1
done
grep -q "listening on" "$logs/serve.out" || { tail -20 "$logs/serve.err"; exit 1; }

taskset -c "$driver_core" ./voice-agent loadtest --url "ws://127.0.0.1:$port/twilio/stream" "$@"
