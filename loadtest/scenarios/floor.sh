#!/usr/bin/env bash
# (floor) Salotto's CPU per packet sent over this machine's floor, measured in one run: a space with one speaker
# (Opus-sized audio, 50 packets a second) and LISTENERS listeners against Salotto, then the floor benchmark
# (loadtest/floor/floor.c: what any SFU must do per packet sent, in C with OpenSSL and sendmmsg) in the same shape:
# the same fan-out, packet rate, datagram size and window length, with the server stopped (each gets the machine).
# Prints both figures and the ratio; reports in loadtest/target/scenario-floor/ (salotto/, floor.json,
# floor-comparison.json). Extra flags go to the generator (e.g. --publishers 3: the floor then fans each packet out
# to the listeners and the 2 other speakers).
#
#   loadtest/scenarios/floor.sh [LISTENERS (300)] [SECONDS (30)] [GENERATOR FLAGS...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/server.sh"
listeners="${1:-300}"; seconds="${2:-30}"
shift $(( $# < 2 ? $# : 2 ))
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
  --kind space --publishers 1 --audio --subscribers "$listeners" --join-rate 20 --duration "${seconds}s" "$@" \
  > "$out/salotto.txt" || status=$?
stop
grep -E '^(salotto:|server, steady)' "$out/salotto.txt"
echo "load average before the floor: $(cut -d' ' -f1-3 /proc/loadavg)"
loadtest floor --salotto "$out/salotto/report.json" | tee "$out/floor.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
