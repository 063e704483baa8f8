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
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
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
http_port="${SALOTTO_HTTP_PORT:-18480}"
media_port="${SALOTTO_MEDIA_PORT:-18481}"

# The same JDK and build as ./salotto.
source <(sed -n '/^java_major()/,/^}/p; /^find_jdk()/,/^}/p' salotto)
JAVA_HOME="$(find_jdk)"; export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
mvn -B -q -DskipTests -pl server,loadtest -am install
# Native access: the media loop (and the generator) use recvmmsg/sendmmsg through the FFM API.
java_opts=(-XX:+UseZGC --enable-native-access=ALL-UNNAMED)
# shellcheck disable=SC2206
java_opts+=(${SALOTTO_JAVA_OPTS:-})

loadtest() {
  "$JAVA_HOME/bin/java" -XX:+UseZGC --enable-native-access=ALL-UNNAMED -cp "loadtest/target/classes:loadtest/target/lib/*" org.salotto.loadtest.LoadTest "$@"
}

# Every simulated participant comes from this machine's address: the per-address limits (docs/operations.md, limits.*)
# would refuse most of them. Off here unless the caller sets them; e-flood.sh measures the limits themselves.
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

"$JAVA_HOME/bin/java" "${java_opts[@]}" -cp "server/target/classes:server/target/lib/*" org.salotto.server.Main \
  --http-port "$http_port" --media-port "$media_port" > "$out/salotto-server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$http_port/health" > /dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { echo "Salotto did not start; see $out/salotto-server.log" >&2; exit 1; }
  sleep 0.2
done
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
