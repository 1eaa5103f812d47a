#!/usr/bin/env bash
# The Java side of the differential harness: resolves Kafka Streams 4.1.1 + its test utils from Maven Central into
# .cache/lib (first use only), compiles java/ into .cache/classes when the sources changed, and runs every
# scenario in one JVM, printing "### <name>" and the scenario's canonical text for each.
#   run-java.sh            print every scenario's output
#   run-java.sh fetch      only download the jars
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="$HERE/.cache"
LIB="$CACHE/lib"
CLASSES="$CACHE/classes"

die() { echo "run-java.sh: $*" >&2; exit 1; }

command -v java >/dev/null 2>&1 || die "java not found on PATH: the interop harness needs Java 17+"
command -v javac >/dev/null 2>&1 || die "javac not found on PATH: the interop harness needs a JDK 17+ (e.g. apt-get install openjdk-17-jdk-headless)"

if [[ ! -f "$LIB/.complete" ]]; then
  command -v mvn >/dev/null 2>&1 || die "mvn not found on PATH: Maven is needed once to download Kafka Streams from Maven Central"
  echo "run-java.sh: downloading Kafka Streams 4.1.1 and its test utils into $LIB (first use only)" >&2
  rm -rf "$LIB"
  mkdir -p "$LIB"
  mvn -B -q -Dstyle.color=never -f "$HERE/pom.xml" -Dinterop.lib.dir="$LIB" dependency:copy-dependencies >&2 \
    || die "Maven could not resolve the Kafka Streams jars"
  touch "$LIB/.complete"
fi
[[ "${1:-}" == fetch ]] && exit 0

stamp="$(cat "$HERE"/java/interop/*.java "$HERE/pom.xml" | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$CLASSES/.stamp" || "$(cat "$CLASSES/.stamp")" != "$stamp" ]]; then
  rm -rf "$CLASSES"
  mkdir -p "$CLASSES"
  javac -nowarn -encoding UTF-8 -d "$CLASSES" -cp "$LIB/*" "$HERE"/java/interop/*.java 2>&1 | grep -v '^Note:' >&2 || true
  [[ -f "$CLASSES/interop/Scenarios.class" ]] || die "javac failed"
  echo "$stamp" > "$CLASSES/.stamp"
fi

exec java -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$CLASSES:$LIB/*" interop.Scenarios
