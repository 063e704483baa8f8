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
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
out="loadtest/target/scenario-f"
rm -rf "$out/data"
mkdir -p "$out"
http_port="${SALOTTO_HTTP_PORT:-18480}"
media_port="${SALOTTO_MEDIA_PORT:-18481}"
source <(sed -n '/^java_major()/,/^}/p; /^find_jdk()/,/^}/p' salotto)
JAVA_HOME="$(find_jdk)"; export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
# package, not install: the reactor resolves the modules, and ~/.m2 is left alone.
mvn -B -q -DskipTests -Dexec.skip=true -pl server,loadtest -am package

export SALOTTO_LIMITS_GUEST_TOKENS_PER_ADDRESS="${SALOTTO_LIMITS_GUEST_TOKENS_PER_ADDRESS:-0}"
export SALOTTO_LIMITS_JOIN_TOKENS_PER_ADDRESS="${SALOTTO_LIMITS_JOIN_TOKENS_PER_ADDRESS:-0}"
export SALOTTO_LIMITS_CONNECTIONS_PER_ADDRESS="${SALOTTO_LIMITS_CONNECTIONS_PER_ADDRESS:-0}"
export SALOTTO_LIMITS_LOGIN_PER_ADDRESS="${SALOTTO_LIMITS_LOGIN_PER_ADDRESS:-0}"
export SALOTTO_LIMITS_ROOMS_PER_ACCOUNT="${SALOTTO_LIMITS_ROOMS_PER_ACCOUNT:-0}"

server_pid=""
stop() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}
trap stop EXIT
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" -XX:+UseZGC --enable-native-access=ALL-UNNAMED ${SALOTTO_JAVA_OPTS:-} \
  -cp "server/target/classes:server/target/lib/*" org.salotto.server.Main \
  --http-port "$http_port" --media-port "$media_port" --data-dir "$out/data" > "$out/salotto-server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$http_port/health" > /dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { echo "Salotto did not start; see $out/salotto-server.log" >&2; exit 1; }
  sleep 0.2
done
comments() {
  "$JAVA_HOME/bin/java" -XX:+UseZGC -cp "loadtest/target/classes:loadtest/target/lib/*" org.salotto.loadtest.LoadTest \
    comments --url "http://127.0.0.1:$http_port" "$@"
}
# A running server has compiled its hot paths: a short unmeasured run first (its own live).
comments --viewers 200 --rate 20 --duration 8s > "$out/warmup.txt" 2>&1 || true
comments --server-pid "$server_pid" "$@" | tee "$out/comments.txt"
