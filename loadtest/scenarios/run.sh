#!/usr/bin/env bash
# Runs one scenario end to end: builds, starts Salotto on its own ports, runs the load generator against it, stops it;
# with --janus, then does the same against Janus (loadtest/janus/start.sh) and prints Salotto's CPU per packet over
# Janus's. The servers run one after the other, never together, each with the whole machine. Salotto gets a short
# unmeasured warm-up run first (a JVM compiles its hot paths in the first seconds; Janus is C and needs none).
#
#   loadtest/scenarios/run.sh NAME [--janus] [--profile] -- LOADTEST FLAGS...
#
# Reports go to loadtest/target/scenario-NAME/{salotto,janus}/report.{json,html} and comparison.json.
# --profile records a JFR profile of Salotto's steady state, every join done (loadtest/target/scenario-NAME/salotto.jfr).
# Environment: SALOTTO_HTTP_PORT (18480), SALOTTO_MEDIA_PORT (18481), SALOTTO_JAVA_OPTS (extra JVM flags).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/server.sh"
name="$1"; shift
janus=false; profile=false
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case "$1" in
    --janus) janus=true ;;
    --profile) profile=true ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[ "${1:-}" = "--" ] && shift
out="loadtest/target/scenario-$name"
mkdir -p "$out"
build_scenario
relax_address_limits
start_server "$out"
# A running server has compiled its hot paths: warm the JIT up with a short run of its own (not measured) first.
loadtest --url "http://127.0.0.1:$http_port" --room warmup --kind live --publishers 2 --audio --video-kbps 300 --subscribers 60 \
  --join-rate 30 --duration 8s > "$out/salotto-warmup.txt" 2>&1 || true
status=0
profile_flags=()
if $profile; then profile_flags=(--profile-steady "$ROOT/$out/salotto.jfr"); fi
loadtest --url "http://127.0.0.1:$http_port" --server-pid "$server_pid" --report "$out/salotto" "${profile_flags[@]}" "$@" \
  | tee "$out/salotto.txt" || status=$?
stop

if $janus; then
  server_pid="$(loadtest/janus/start.sh --background)"
  loadtest --server janus --server-pid "$server_pid" --report "$out/janus" "$@" | tee "$out/janus.txt" || status=$?
  stop
  loadtest compare "$out/salotto/report.json" "$out/janus/report.json"
fi
exit "$status"
