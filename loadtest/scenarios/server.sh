# Sourced by the scenario scripts: the JDK and build of ./salotto, and a Salotto server of the scenario's own on
# SALOTTO_HTTP_PORT (18480) and SALOTTO_MEDIA_PORT (18481), stopped when the script exits.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/server.sh"
#   build_scenario                       builds the server and the generator (mvn package: ~/.m2 is left alone)
#   relax_address_limits                 per-address limits off unless set (every simulated person is on this machine)
#   start_server OUT [MAIN FLAGS...]     starts it, log in OUT/salotto-server.log; sets server_pid; waits for /health
#   stop                                 stops it (also on exit)
#   loadtest ARGS...                     the load generator
# Environment: SALOTTO_JAVA_OPTS (extra JVM flags for the server).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
http_port="${SALOTTO_HTTP_PORT:-18480}"
media_port="${SALOTTO_MEDIA_PORT:-18481}"
source <(sed -n '/^java_major()/,/^}/p; /^find_jdk()/,/^}/p' salotto)
JAVA_HOME="$(find_jdk)"; export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"

build_scenario() {
  mvn -B -q -DskipTests -Dexec.skip=true -pl server,loadtest -am package
}

# Every simulated person comes from this machine's address: the per-address limits (docs/operations.md, limits.*)
# would refuse most of them. Off unless the caller sets them; e-flood.sh measures the limits themselves.
relax_address_limits() {
  export SALOTTO_LIMITS_GUEST_TOKENS_PER_ADDRESS="${SALOTTO_LIMITS_GUEST_TOKENS_PER_ADDRESS:-0}"
  export SALOTTO_LIMITS_JOIN_TOKENS_PER_ADDRESS="${SALOTTO_LIMITS_JOIN_TOKENS_PER_ADDRESS:-0}"
  export SALOTTO_LIMITS_CONNECTIONS_PER_ADDRESS="${SALOTTO_LIMITS_CONNECTIONS_PER_ADDRESS:-0}"
  export SALOTTO_LIMITS_LOGIN_PER_ADDRESS="${SALOTTO_LIMITS_LOGIN_PER_ADDRESS:-0}"
  export SALOTTO_LIMITS_ROOMS_PER_ACCOUNT="${SALOTTO_LIMITS_ROOMS_PER_ACCOUNT:-0}"
}

server_pid=""
stop() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}
trap stop EXIT

start_server() {
  local out="$1"; shift
  # Native access: the media loop uses recvmmsg/sendmmsg through the FFM API.
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" -XX:+UseZGC --enable-native-access=ALL-UNNAMED ${SALOTTO_JAVA_OPTS:-} \
    -cp "server/target/classes:server/target/lib/*" org.salotto.server.Main \
    --http-port "$http_port" --media-port "$media_port" "$@" > "$out/salotto-server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$http_port/health" > /dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || { echo "Salotto did not start; see $out/salotto-server.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "Salotto did not answer /health in 20 s; see $out/salotto-server.log" >&2
  exit 1
}

loadtest() {
  "$JAVA_HOME/bin/java" -XX:+UseZGC --enable-native-access=ALL-UNNAMED -cp "loadtest/target/classes:loadtest/target/lib/*" \
    org.salotto.loadtest.LoadTest "$@"
}
