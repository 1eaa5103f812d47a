#!/usr/bin/env bash
# Runs the broker conformance suite (and test/e2e, test/eos when they exist) against real Apache Kafka, the
# client-compatibility suite (test/compat) against the bundled broker, the Java differential harness (test/interop) and
# the smoke run of `npm run bench:peers` (test/bench/peers),
# then the 3-broker failover suite (test/cluster) against a 3-node KRaft cluster:
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
# The smoke run of `npm run bench:peers` (test/bench/peers/smoke.test.ts: kstreams, Java Kafka Streams, the kafkajs
# ceiling, Quix Streams and @kafkats/flow on the bundled broker, ~1.5 min) needs Java, Maven and Python too; the rest
# of test/bench stays out.
suites+=("$TEST_DIR/bench/peers")
# The fault suites (test/faults: a 60-s broker outage under load, 24 rounds of SIGKILL rebalance churn) are too long
# for `npm test`, which ignores them; they run here on real Kafka, and on the bundled broker right after.
suites+=("$TEST_DIR/faults")
ignore=(--testPathIgnorePatterns '/node_modules/' '/test/kafka/' '/test/bench/(?!peers/)')

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
bash "$KAFKA_SH" stop >&2

# test/faults again on the bundled broker (a child process the suites stop and restart on its port and data dir).
# An --outputFile=F.json becomes F-faults.json (.ci/run reads it). RUN_FAULTS_BUNDLED=0 skips it.
if [[ "${RUN_FAULTS_BUNDLED:-1}" == 1 ]]; then
  faults_args=()
  for arg in "$@"; do
    if [[ "$arg" == --outputFile=*.json ]]; then faults_args+=("${arg%.json}-faults.json"); else faults_args+=("$arg"); fi
  done
  t3=$SECONDS
  KSTREAMS_BROKER=bundled npx jest "$TEST_DIR/faults" --runInBand --testPathIgnorePatterns /node_modules/ "${faults_args[@]}" --selectProjects integration
  faults_status=$?
  log "fault suites on the bundled broker finished in $((SECONDS - t3)) s with status $faults_status"
  [[ $status -eq 0 ]] && status=$faults_status
fi

# The 3-broker suite (test/cluster): a fresh 3-node KRaft cluster on loopback, then broker-failover tests.
# `npm test` ignores test/cluster, so the ignore list is reset here. KAFKA_CLUSTER_PORT/_CONTROLLER_PORT pick
# its ports (node i on port+i-1); RUN_CLUSTER_SUITE=0 skips it.
if [[ "${RUN_CLUSTER_SUITE:-1}" == 1 ]]; then
  export KAFKA_BROKERS=3 KAFKA_PORT="${KAFKA_CLUSTER_PORT:-19094}" KAFKA_CONTROLLER_PORT="${KAFKA_CLUSTER_CONTROLLER_PORT:-19097}"
  trap 'bash "$KAFKA_SH" stop >&2' EXIT
  t2=$SECONDS
  bash "$KAFKA_SH" reset >/dev/null 2>&1 || true
  if ! cluster="$(bash "$KAFKA_SH" start | tail -n 1)"; then
    log "the 3-broker cluster did not start"
    bash "$KAFKA_SH" logs 60 >&2
    exit 1
  fi
  log "3-broker Kafka at $cluster, ready after $((SECONDS - t2)) s"
  # The same jest arguments, except that an --outputFile=F.json becomes F-cluster.json (.ci/run reads both).
  cluster_args=()
  for arg in "$@"; do
    if [[ "$arg" == --outputFile=*.json ]]; then cluster_args+=("${arg%.json}-cluster.json"); else cluster_args+=("$arg"); fi
  done
  KSTREAMS_CLUSTER="$cluster" KSTREAMS_KAFKA_SH="$KAFKA_SH" \
    npx jest "$TEST_DIR/cluster" --runInBand --testPathIgnorePatterns /node_modules/ "${cluster_args[@]}" --selectProjects integration
  cluster_status=$?
  log "cluster suite finished in $((SECONDS - t2)) s with status $cluster_status"
  if [[ $cluster_status -ne 0 ]]; then
    bash "$KAFKA_SH" logs 60 >&2
    [[ $status -eq 0 ]] && status=$cluster_status
  fi
fi
exit $status
