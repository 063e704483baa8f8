#!/usr/bin/env bash
# (f) comments at scale (issue 12): a live whose host stays in it (WebSocket only, no media: comments do not need it),
# 1,000 viewers over the room WebSocket, 20 comments a second for 30 s; prints the delivery delay p50/p95/p99/max,
# the deliveries expected and received, and the server's CPU over the window (/proc/PID/stat) per second and per
# 1,000 deliveries. Starts Salotto on ports 18480/18481, warms it up with a short unmeasured run, measures, stops it.
#
#   loadtest/scenarios/f-comments.sh [COMMENTS FLAGS...]     (salotto loadtest comments --help lists them)
#
# Every simulated person comes from 127.0.0.1, so the per-address limits are off here (as in run.sh) unless set;
# the comment limit (limits.comments-per-person, 5 per 10 s) is the server's default: the comments are spread over
# enough commenters (50 for 20/s, 0.4/s each) instead.
# Output: loadtest/target/scenario-f/{comments,warmup}.txt and salotto-server.log.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/server.sh"
out="loadtest/target/scenario-f"
rm -rf "$out/data"
mkdir -p "$out"
build_scenario
relax_address_limits
start_server "$out" --data-dir "$out/data"
comments() {
  loadtest comments --url "http://127.0.0.1:$http_port" "$@"
}
# A running server has compiled its hot paths: a short unmeasured run first (its own live).
comments --viewers 200 --rate 20 --duration 8s > "$out/warmup.txt" 2>&1 || true
comments --server-pid "$server_pid" "$@" | tee "$out/comments.txt"
