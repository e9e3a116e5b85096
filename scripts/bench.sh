#!/usr/bin/env bash
# Builds the JMH benchmarks and runs them. Arguments go to JMH (e.g. `scripts/bench.sh AudioCodec -f 2`);
# without arguments a short run of every benchmark (about a minute per benchmark class).
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/find-jdk.sh
./mvnw -q -B -pl bench -am package -DskipTests
if [ "$#" -eq 0 ]; then
  set -- -f 1 -wi 2 -i 3 -w 1s -r 1s
fi
exec "$JAVA_HOME/bin/java" -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main "$@"
