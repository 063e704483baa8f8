#!/usr/bin/env bash
# (floor) Salotto's CPU per packet sent over this machine's floor, measured in one run: a space with SPEAKERS speakers
# (Opus-sized audio, 50 packets a second each) and LISTENERS listeners against Salotto, then the floor benchmark
# (loadtest/floor/floor.c: what any SFU must do per packet sent, in C with OpenSSL and sendmmsg) in the same shape:
# the same fan-out, packet rate, datagram size and window length, with the server stopped (each gets the machine).
# Prints both figures and the ratio; reports in loadtest/target/scenario-floor/ (salotto/, floor.json,
# floor-comparison.json). With SPEAKERS above 1 each packet goes to the listeners and the other speakers, and the floor
# fans out as many. Extra flags go to the generator. JANUS=1 runs Janus (loadtest/janus/start.sh) in the same shape after
# Salotto and gives its CPU over the floor's and Salotto's over Janus's too.
#
#   [JANUS=1] loadtest/scenarios/floor.sh [LISTENERS (300)] [SECONDS (30)] [SPEAKERS (1)] [GENERATOR FLAGS...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/server.sh"
listeners="${1:-300}"; seconds="${2:-30}"; speakers="${3:-1}"
shift $(( $# < 3 ? $# : 3 ))
out="loadtest/target/scenario-floor"
mkdir -p "$out"
build_scenario
relax_address_limits
start_server "$out"
loadtest --url "http://127.0.0.1:$http_port" --room warmup --publishers 1 --audio --subscribers 60 --join-rate 30 \
  --duration 8s > "$out/salotto-warmup.txt" 2>&1 || true
echo "load average before Salotto: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
loadtest --url "http://127.0.0.1:$http_port" --server-pid "$server_pid" --report "$out/salotto" --room space-floor \
  --kind space --publishers "$speakers" --audio --subscribers "$listeners" --join-rate 20 --duration "${seconds}s" "$@" \
  > "$out/salotto.txt" || status=$?
stop
grep -E '^(salotto:|server, steady)' "$out/salotto.txt"
janus_flags=()
if [ -n "${JANUS:-}" ]; then
  echo "load average before Janus: $(cut -d' ' -f1-3 /proc/loadavg)"
  server_pid="$(loadtest/janus/start.sh --background)"
  loadtest --server janus --server-pid "$server_pid" --report "$out/janus" --room space-floor --publishers "$speakers" --audio \
    --subscribers "$listeners" --join-rate 20 --duration "${seconds}s" "$@" > "$out/janus.txt" || status=$?
  stop
  grep -E '^(janus:|server, steady)' "$out/janus.txt"
  janus_flags=(--janus "$out/janus/report.json")
fi
echo "load average before the floor: $(cut -d' ' -f1-3 /proc/loadavg)"
loadtest floor --salotto "$out/salotto/report.json" "${janus_flags[@]}" | tee "$out/floor.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
