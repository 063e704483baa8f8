#!/usr/bin/env bash
# (e) floods against the default limits (issue 11): a legitimate user's latency (reads of a room, WebSocket pings,
# right-password logins) before and during a login flood, then a reaction flood, each by 64 attackers from 16 loopback
# addresses. Starts Salotto with its default settings on ports 18480/18481, prints the figures, stops it.
#
#   loadtest/scenarios/e-flood.sh [FLOOD FLAGS...]     (salotto loadtest flood --help lists them)
#
# Output: loadtest/target/scenario-e/{login,reaction}.txt and salotto-server.log.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
out="loadtest/target/scenario-e"
mkdir -p "$out"
http_port="${SALOTTO_HTTP_PORT:-18480}"
media_port="${SALOTTO_MEDIA_PORT:-18481}"
source <(sed -n '/^java_major()/,/^}/p; /^find_jdk()/,/^}/p' salotto)
JAVA_HOME="$(find_jdk)"; export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
# package, not install: the reactor resolves the modules, and ~/.m2 is left alone.
mvn -B -q -DskipTests -Dexec.skip=true -pl server,loadtest -am package

server_pid=""
stop() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}
trap stop EXIT
"$JAVA_HOME/bin/java" -XX:+UseZGC --enable-native-access=ALL-UNNAMED -cp "server/target/classes:server/target/lib/*" \
  org.salotto.server.Main --http-port "$http_port" --media-port "$media_port" --data-dir "$out/data" \
  > "$out/salotto-server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$http_port/health" > /dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { echo "Salotto did not start; see $out/salotto-server.log" >&2; exit 1; }
  sleep 0.2
done
flood() {
  "$JAVA_HOME/bin/java" -XX:+UseZGC -cp "loadtest/target/classes:loadtest/target/lib/*" org.salotto.loadtest.LoadTest \
    flood --url "http://127.0.0.1:$http_port" "$@"
}
flood --mode login "$@" | tee "$out/login.txt"
flood --mode reaction "$@" | tee "$out/reaction.txt"
