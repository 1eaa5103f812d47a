#!/usr/bin/env bash
# Runs the broker conformance suite (and test/e2e, test/eos when they exist) against real Apache Kafka, the
# client-compatibility suite (test/compat) against the bundled broker, and the Java differential harness (test/interop):
# fresh single-node Kafka via kafka.sh (downloaded through Maven on first use), jest with
# KSTREAMS_BROKER=<address>, the Kafka log tail on failure, Kafka stopped, jest's exit status.
# Extra arguments go to jest, e.g. `bash kafka/run-suite.sh --json --outputFile=results.json`.
# KAFKA_KEEP_DATA=1 keeps the data dir of an earlier run instead of starting from empty storage.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEST_DIR="$(dirname "$HERE")"
ROOT="$(dirname "$TEST_DIR")"
KAFKA_SH="$HERE/kafka.sh"

log() { echo "run-suite: $*" >&2; }

t0=$SECONDS
if [[ "${KAFKA_KEEP_DATA:-}" != 1 ]]; then
  bash "$KAFKA_SH" reset >/dev/null 2>&1 || true
fi
if ! address="$(bash "$KAFKA_SH" start | tail -n 1)"; then
  log "Kafka did not start"
  bash "$KAFKA_SH" logs 100 >&2
  bash "$KAFKA_SH" stop >&2 || true
  exit 1
fi
trap 'bash "$KAFKA_SH" stop >&2' EXIT
log "Kafka ${KAFKA_VERSION:-(default version)} at $address, ready after $((SECONDS - t0)) s"

suites=("$TEST_DIR/conformance")
[[ -d "$TEST_DIR/e2e" ]] && suites+=("$TEST_DIR/e2e")
[[ -d "$TEST_DIR/eos" ]] && suites+=("$TEST_DIR/eos")
# The client-compatibility suite (Kafka's Java tools and clients against the bundled broker) runs here
# too, since it needs Java and Maven; `npm test` ignores test/compat, so the ignore list is reset below.
suites+=("$TEST_DIR/compat")
# test/interop is left out of `npm test` (it needs a JDK and Maven) by the jest config's ignore list; these
# patterns replace that list here so it runs in this suite.
suites+=("$TEST_DIR/interop")
ignore=(--testPathIgnorePatterns '/node_modules/' '/test/kafka/' '/test/bench/')

cd "$ROOT" || exit 1
t1=$SECONDS
# Paths first: --selectProjects takes every following bare word as a project name.
# --runInBand: the restart suite SIGKILLs the one shared Kafka, so no other file may run meanwhile.
KSTREAMS_BROKER="$address" KSTREAMS_KAFKA_SH="$KAFKA_SH" \
  npx jest "${suites[@]}" --runInBand "${ignore[@]}" "$@" --selectProjects integration
status=$?
log "jest finished in $((SECONDS - t1)) s with status $status"
if [[ $status -ne 0 ]]; then
  echo "---- Kafka server.log (last 150 lines) ----" >&2
  bash "$KAFKA_SH" logs 150 >&2
fi
exit $status
