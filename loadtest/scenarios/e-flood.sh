#!/usr/bin/env bash
# (e) floods against the default limits (issue 11): a legitimate user's latency (reads of a room, WebSocket pings,
# right-password logins) before and during a login flood, then a reaction flood, each by 64 attackers from 16 loopback
# addresses. Starts Salotto with its default settings on ports 18480/18481, prints the figures, stops it.
#
#   loadtest/scenarios/e-flood.sh [FLOOD FLAGS...]     (salotto loadtest flood --help lists them)
#
# Output: loadtest/target/scenario-e/{login,reaction}.txt and salotto-server.log.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/server.sh"
out="loadtest/target/scenario-e"
mkdir -p "$out"
build_scenario
start_server "$out" --data-dir "$out/data"
flood() {
  loadtest flood --url "http://127.0.0.1:$http_port" "$@"
}
flood --mode login "$@" | tee "$out/login.txt"
flood --mode reaction "$@" | tee "$out/reaction.txt"
