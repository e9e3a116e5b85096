#!/usr/bin/env bash
# Builds the benchmarks and runs them. Arguments go to JMH (e.g. `scripts/bench.sh AudioCodec -f 2`); without
# arguments a short run of every JMH benchmark. `scripts/bench.sh turns [TURNS]` runs the turn-engine latency report.
# `scripts/bench.sh sessions [N...]` runs N concurrent calls through the session (default 100, 500 and 1000, one JVM
# each; BENCH_TURNS turns per call, BENCH_JAVA_OPTS for the runtime's JVM, BENCH_EMULATOR_CPUS to pin the emulators).
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/find-jdk.sh
./mvnw -q -B -pl bench -am package -DskipTests
cp="bench/target/classes:bench/target/lib/*"
if [ "${1:-}" = turns ]; then
  shift
  exec "$JAVA_HOME/bin/java" -cp "$cp" voiceagent.bench.TurnLatencyBenchmark "$@"
fi
if [ "${1:-}" = sessions ]; then
  shift
  [ "$#" -eq 0 ] && set -- 100 500 1000
  for n in "$@"; do
    # shellcheck disable=SC2086
    "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -cp "$cp" voiceagent.bench.sessions.SessionBenchmark "$n" \
      "${BENCH_TURNS:-3}" 2>/dev/null
  done
  exit 0
fi
if [ "$#" -eq 0 ]; then
  set -- -f 1 -wi 2 -i 3 -w 1s -r 1s
fi
exec "$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main "$@"
