#!/usr/bin/env bash
# Builds the benchmarks and runs them. Arguments go to JMH (e.g. `scripts/bench.sh AudioCodec -f 2`); without
# arguments a short run of every JMH benchmark. `scripts/bench.sh turns [TURNS]` runs the turn-engine latency report.
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/find-jdk.sh
./mvnw -q -B -pl bench -am package -DskipTests
cp="bench/target/classes:bench/target/lib/*"
if [ "${1:-}" = turns ]; then
  shift
  exec "$JAVA_HOME/bin/java" -cp "$cp" voiceagent.bench.TurnLatencyBenchmark "$@"
fi
if [ "$#" -eq 0 ]; then
  set -- -f 1 -wi 2 -i 3 -w 1s -r 1s
fi
exec "$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main "$@"
