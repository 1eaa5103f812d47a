#!/usr/bin/env bash
# Prepares and runs Kafka 4.1.1's Java clients and tools for the client-compatibility suite.
#   java.sh classpath        resolve the jars (Maven, first use only) and compile java/*.java; print the classpath
#   java.sh run <main> args  run a main class (a Kafka tool or Compat) on that classpath
# Jars go to .cache/<version>/lib (gitignored), Maven's repository to ../kafka/.cache/m2 (shared with kafka.sh).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSION=4.1.1
CACHE="$HERE/.cache/$VERSION"
LIB="$CACHE/lib"
CLASSES="$CACHE/classes"

die() { echo "java.sh: $*" >&2; exit 1; }

ensure() {
  command -v java >/dev/null 2>&1 || die "java not found on PATH (Java 17+ is needed for Kafka $VERSION's clients)"
  if [[ ! -f "$CACHE/.complete" ]]; then
    command -v mvn >/dev/null 2>&1 || die "mvn not found on PATH: Maven resolves Kafka $VERSION's client jars once"
    mkdir -p "$CACHE"
    rm -rf "$LIB"
    if ! mvn -B -Dstyle.color=never -f "$HERE/pom.xml" -Dkafka.version="$VERSION" -Dcompat.lib.dir="$LIB" \
      -Dmaven.repo.local="$HERE/../kafka/.cache/m2" dependency:copy-dependencies >"$CACHE/maven.log" 2>&1; then
      grep -E "ERROR|BUILD" "$CACHE/maven.log" | head -n 20 >&2
      die "Maven could not resolve Kafka $VERSION's clients; full log: $CACHE/maven.log"
    fi
    touch "$CACHE/.complete"
  fi
  local stamp="$CLASSES/.stamp"
  if [[ ! -f "$stamp" ]] || [[ -n "$(find "$HERE/java" -name '*.java' -newer "$stamp")" ]]; then
    rm -rf "$CLASSES"
    mkdir -p "$CLASSES"
    javac -nowarn -d "$CLASSES" -cp "$LIB/*" "$HERE"/java/*.java >&2 || die "javac failed"
    touch "$stamp"
  fi
  # log4j2 at WARN to stderr, so tool output on stdout stays clean
  cat >"$CACHE/log4j2.properties" <<'LOG'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = STDERR
appender.stderr.type = Console
appender.stderr.name = STDERR
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [%d] %p %m (%c)%n
LOG
}

case "${1:-}" in
  classpath)
    ensure
    echo "$CLASSES:$LIB/*"
    ;;
  run)
    shift
    ensure
    exec java -Xss1m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$CACHE/log4j2.properties" \
      -cp "$CLASSES:$LIB/*" "$@"
    ;;
  *) die "usage: java.sh classpath | run <main class> [args]" ;;
esac
