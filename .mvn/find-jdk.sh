# Locates a JDK >= 21 and exports JAVA_HOME. Sourced by ./mvnw, ./voice-agent and .ci/run (POSIX sh).
# Order: JAVA_HOME if it is new enough, then the java on PATH, then the usual install folders
# (newest first), then Debian's package as a last resort when running as root; else a clear error.

va_java_major() {
  # Prints the feature version of the java binary $1 (8 for "1.8.0_x", 25 for "25.0.1"), or nothing.
  "$1" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9.]*\).*/\1/p' | head -n 1 |
    awk -F. '{ if ($1 == 1) print $2; else print $1 }'
}

va_jdk_ok() {
  # True when folder $1 holds a JDK (java and javac) of version 21 or newer.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  va_major=$(va_java_major "$1/bin/java")
  [ -n "$va_major" ] && [ "$va_major" -ge 21 ]
}

va_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && va_jdk_ok "$JAVA_HOME"; then return 0; fi
  va_best=""; va_best_major=0
  va_path_java=$(command -v java 2>/dev/null || true)
  if [ -n "$va_path_java" ]; then
    va_path_home=$(dirname "$(dirname "$(readlink -f "$va_path_java")")")
  else
    va_path_home=""
  fi
  for va_dir in $va_path_home /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* /usr/java/* \
      "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$va_dir" ] || continue
    if va_jdk_ok "$va_dir" && [ "$va_major" -gt "$va_best_major" ]; then
      va_best=$va_dir; va_best_major=$va_major
    fi
  done
  if [ -z "$va_best" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "voice-agent: no JDK >= 21 found; installing one from Debian's packages" >&2
    apt-get update -qq >/dev/null 2>&1 || true
    for va_pkg in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
      if apt-get install -y -qq "$va_pkg" >/dev/null 2>&1; then break; fi
    done
    for va_dir in /usr/lib/jvm/*; do
      if va_jdk_ok "$va_dir" && [ "$va_major" -gt "$va_best_major" ]; then
        va_best=$va_dir; va_best_major=$va_major
      fi
    done
  fi
  if [ -z "$va_best" ]; then
    echo "voice-agent: needs a JDK 21 or newer. Install one (e.g. Temurin 21+) and set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME=$va_best
  export JAVA_HOME
}

# Globbing is needed for the folder scan even where the caller runs with `set -f` (./mvnw does).
case $- in *f*) va_noglob=1 ;; *) va_noglob= ;; esac
set +f
va_find_jdk || exit 1
# Maven 3.9 still calls sun.misc.Unsafe; JDK 24+ warns about it on every build unless told that this is allowed.
if [ "$(va_java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
  case "${MAVEN_OPTS:-}" in
    *sun-misc-unsafe-memory-access*) ;;
    *) MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;;
  esac
fi
[ -z "$va_noglob" ] || set -f
