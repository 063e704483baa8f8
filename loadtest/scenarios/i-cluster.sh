#!/usr/bin/env bash
# (i) one node and three (issue 16): a space with 3 speakers (audio) and LISTENERS listeners, first against one
# Salotto node, then against three nodes of one cluster, then the floor (floor.sh) in each run's shape, all in this
# one script run, so that Salotto's CPU per packet sent over the floor's comes out for both.
#
#   [LISTENERS=300] [MEDIA_SECONDS=30] [JOIN_RATE=20] [NO_BUILD=1] loadtest/scenarios/i-cluster.sh [GENERATOR FLAGS...]
#
# Every node is a `salotto serve` process (server.sh's JVM flags) on PostgreSQL (a schema of this run's own in the
# database `test` at 127.0.0.1:5432) with the cluster on (Redis at 127.0.0.1:6379, keys under a prefix of this run's
# own): the one-node run takes the same code path as the three. Both are removed at the end. Node i (0, 1, 2) listens
# on HTTP SALOTTO_HTTP_PORT + 2i (18680) and media SALOTTO_HTTP_PORT + 2i + 1.
# Three nodes: the room is made and its speakers join through node 0, and go to the room's owner (placement picks it:
# any of the three); the listeners join through the three by turns (`--node-urls`), so a third of them are on the
# owner and two thirds on the two edges, which get the stage through the relay.
# Each run has an unmeasured warm-up first (all three nodes in the second). The measured window is the script's own,
# like the generator's steady state: from a second after every participant is connected to 1.5-2.5 s before media
# stops; over it, per node, CPU (utime + stime of /proc/PID/stat) and the /metrics counters (datagrams sent, the
# relay's packets). CPU per packet sent: all nodes' CPU over all nodes' datagrams sent to participants (the owner's
# relay packets to the edges taken out; they are counted apart). The floor is run after each (the server stopped),
# in that run's shape (fan-out, packet rate, window). Reports in loadtest/target/scenario-i/{one,three}/, the table
# in loadtest/target/scenario-i/summary.txt.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/server.sh"
listeners="${LISTENERS:-300}"; seconds="${MEDIA_SECONDS:-30}"
base_port="${SALOTTO_HTTP_PORT:-18680}"
out="loadtest/target/scenario-i"
rm -rf "$out"; mkdir -p "$out"
tag="icluster_$$_$(date +%s)"
schema="salotto_$tag"
prefix="salotto-$tag:"
pg=(psql -q -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1)
clk="$(getconf CLK_TCK)"

pids=()
stop_nodes() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() {
  stop_nodes
  "${pg[@]}" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  redis-cli -h 127.0.0.1 --scan --pattern "${prefix}*" | xargs -r -n 500 redis-cli -h 127.0.0.1 del >/dev/null || true
}
trap cleanup EXIT

# start_node I: node I on its ports, on the run's schema and key prefix; appends its PID to pids.
start_node() {
  local i="$1" hp=$((base_port + 2 * $1)) mp=$((base_port + 2 * $1 + 1))
  mkdir -p "$out/node$i"
  # shellcheck disable=SC2086
  SALOTTO_CLUSTER_KEY_PREFIX="$prefix" SALOTTO_CLUSTER_PUBLIC_URL="http://127.0.0.1:$hp" \
    "$JAVA_HOME/bin/java" -XX:+UseZGC --enable-native-access=ALL-UNNAMED ${SALOTTO_JAVA_OPTS:-} \
    -cp "server/target/classes:server/target/lib/*" org.salotto.server.Main \
    --http-port "$hp" --media-port "$mp" --data-dir "$out/node$i/data" \
    --database-url "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema" \
    --redis-url redis://127.0.0.1:6379 >> "$out/node$i/server.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 150); do
    curl -sf "http://127.0.0.1:$hp/health" > /dev/null && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || { echo "node $i did not start; see $out/node$i/server.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "node $i did not answer /health in 30 s; see $out/node$i/server.log" >&2
  exit 1
}
url() { echo "http://127.0.0.1:$((base_port + 2 * $1))"; }

# sample FILE N: one line per node: index, pid, CPU ticks (utime+stime), then the /metrics counters we need.
sample() {
  local file="$1" n="$2" i
  : > "$file"
  for ((i = 0; i < n; i++)); do
    local ticks m
    ticks="$(awk '{print $14 + $15}' "/proc/${pids[$i]}/stat")"
    m="$(curl -sf "$(url "$i")/metrics")"
    printf '%s %s %s %s %s %s %s\n' "$i" "${pids[$i]}" "$ticks" \
      "$(awk '$1 == "salotto_media_datagrams_sent_total" {print $2}' <<< "$m")" \
      "$(awk '/^salotto_relay_packets_sent_total/ {s += $2} END {print s + 0}' <<< "$m")" \
      "$(awk '/^salotto_relay_packets_received_total/ {s += $2} END {print s + 0}' <<< "$m")" \
      "$(awk '$1 == "salotto_media_participants" {print $2}' <<< "$m")" >> "$file"
  done
  date +%s.%N >> "$file"
}

# measure NAME N FLAGS...: the measured run of the generator (through node 0, --server-pid node 0), with the window
# taken by this script over the N nodes: opened a second after every participant is connected (or their count holds for 2 s
# with a join failed; or, as the generator does, a third of the media time before its end), closed 1.5-2.5 s before media stops.
measure() {
  local name="$1" n="$2"; shift 2
  local total=$((listeners + 3)) log="$out/$name/generator.log"
  mkdir -p "$out/$name"
  echo "load average before the $name-node run: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/$name/loadavg.txt"
  loadtest --url "$(url 0)" --server-pid "${pids[0]}" --report "$out/$name" --room "space-i-$name" --kind space \
    --publishers 3 --audio --subscribers "$listeners" --join-rate "${JOIN_RATE:-20}" --duration "${seconds}s" --threads 2 "$@" \
    > "$out/$name/generator.txt" 2> "$log" &
  local gen=$!
  until grep -q "joined $total/$total" "$log" 2>/dev/null; do
    kill -0 "$gen" 2>/dev/null || { echo "the generator stopped early; see $log" >&2; cat "$log" >&2; exit 1; }
    sleep 0.2
  done
  local t0; t0="$(date +%s.%N)" # the last join started: media runs $seconds from here
  local late; late="$(echo "$t0 + $seconds * 2 / 3" | bc -l)"
  # Every connection up: a listener has one, a speaker two (publishing and receiving).
  # Or, with a join failed, the count of connections the same over the last three progress lines (two seconds).
  all_up() {
    awk -v n=$((total + 3)) -v j="joined $total/$total" '/^t=/ && index($0, j) {
        for (i = 1; i < NF; i++) if ($i == "connected") { c3 = c2; c2 = c1; c1 = $(i + 1); k++ } }
      END {exit !(c1 >= n || (k >= 3 && c1 == c2 && c2 == c3))}' "$log"
  }
  until all_up || [ "$(echo "$(date +%s.%N) >= $late" | bc -l)" = 1 ]; do sleep 0.2; done
  # "settled": every connection up; "fallback": a join failed (the count held, or the last third of the media time).
  if awk -v n=$((total + 3)) '/^t=/ {for (i = 1; i < NF; i++) if ($i == "connected") c = $(i + 1)} END {exit !(c >= n)}' "$log"
  then echo settled > "$out/$name/window.txt"; else echo fallback > "$out/$name/window.txt"; fi
  sleep 1
  sample "$out/$name/before.txt" "$n"
  # t0 is when the progress line showed the last join started, up to a second after it: close 2.5 s before the end.
  local stop_at; stop_at="$(echo "$t0 + $seconds - 2.5" | bc -l)"
  sleep "$(echo "s = $stop_at - $(date +%s.%N); if (s < 1) 1 else s" | bc -l)"
  sample "$out/$name/after.txt" "$n"
  echo "load average after the $name-node run: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/$name/loadavg.txt"
  wait "$gen" || echo "the generator exited with status $? (see $out/$name/generator.txt)" >&2
  grep -E '^(salotto:|server, steady)' "$out/$name/generator.txt" || true
}

warmup() {
  local nodes="$1"
  loadtest --url "$(url 0)" --room "warmup-$2" --kind space --publishers 3 --audio --subscribers 90 --join-rate 30 \
    --duration 8s ${nodes:+--node-urls "$nodes"} > "$out/warmup-$2.txt" 2>&1 || true
}

[ -n "${NO_BUILD:-}" ] || build_scenario
relax_address_limits
"${pg[@]}" -c "CREATE SCHEMA $schema"
echo "schema $schema, Redis prefix $prefix, $listeners listeners, ${seconds} s of media"

# (1) one node
start_node 0
warmup "" one
measure one 1 "$@"
stop_nodes
echo "load average before the floor (one node): $(cut -d' ' -f1-3 /proc/loadavg)"
loadtest floor --salotto "$out/one/report.json" --report "$out/one" | tee "$out/one/floor.txt"

# (2) three nodes, one cluster (the first's rooms are gone: a new room name; the schema and prefix are kept)
start_node 0; start_node 1; start_node 2
sleep 2 # every node sees the others' leases
warmup "$(url 0),$(url 1),$(url 2)" three
measure three 3 --node-urls "$(url 0),$(url 1),$(url 2)" "$@"
stop_nodes
echo "load average before the floor (three nodes): $(cut -d' ' -f1-3 /proc/loadavg)"
loadtest floor --salotto "$out/three/report.json" --report "$out/three" | tee "$out/three/floor.txt"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$out" "$clk" "$listeners" <<'EOF' | tee "$out/summary.txt"
import json, sys
out, clk, listeners = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def read(path):
    lines = open(path).read().split("\n")
    rows = [l.split() for l in lines if l.strip()][:-1]
    when = float([l for l in lines if l.strip()][-1])
    return {int(r[0]): dict(cpu=int(r[2]) / clk, sent=float(r[3]), relay_sent=float(r[4]), relay_recv=float(r[5]),
                            people=float(r[6])) for r in rows}, when
print(f"i-cluster: 3 speakers, {listeners} listeners")
print("| run | node | role | people on it | CPU s | datagrams sent | relay packets sent / received | µs CPU per datagram sent |")
print("|---|---|---|---|---|---|---|---|")
totals = {}
for name in ("one", "three"):
    (b, t1), (a, t2) = read(f"{out}/{name}/before.txt"), read(f"{out}/{name}/after.txt")
    rep = json.load(open(f"{out}/{name}/report.json"))
    floor = json.load(open(f"{out}/{name}/floor.json"))
    cpu = sent = relay = 0.0
    for i in sorted(a):
        d = {k: a[i][k] - b[i][k] for k in ("cpu", "sent", "relay_sent", "relay_recv")}
        role = "owner" if d["relay_sent"] > 0 or len(a) == 1 else ("edge" if d["relay_recv"] > 0 else "?")
        print(f"| {name} | {i} | {role} | {a[i]['people']:.0f} | {d['cpu']:.2f} | {d['sent']:.0f} | "
              f"{d['relay_sent']:.0f} / {d['relay_recv']:.0f} | {1e6 * d['cpu'] / d['sent']:.2f} |")
        cpu += d["cpu"]; sent += d["sent"]; relay += d["relay_sent"]
    c = rep["client"]
    per = 1e6 * cpu / (sent - relay)
    f = floor["cpuMicrosPerPacketSent"] if "cpuMicrosPerPacketSent" in floor else floor["floor"]["cpuMicrosPerPacketSent"]
    totals[name] = dict(window=t2 - t1, cpu=cpu, sent=sent - relay, relay=relay, per=per, floor=f, c=c,
                        settled=open(f"{out}/{name}/window.txt").read().strip(),
                        gen=rep["server"]["steady"].get("cpuMicrosPerPacketSent"))
print()
print("| run | window s | all nodes' CPU s | datagrams to participants | relay packets | µs per datagram | floor µs | Salotto / floor | loss % | delay p50 / p99 ms | join p50 / p99 ms | joins failed |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for name, t in totals.items():
    c = t["c"]
    print(f"| {name} ({t['settled']}) | {t['window']:.1f} | {t['cpu']:.2f} | {t['sent']:.0f} | {t['relay']:.0f} | "
          f"{t['per']:.2f} | {t['floor']:.2f} | **{t['per'] / t['floor']:.2f}** | {c['lossPercent']:.2f} | "
          f"{c['delayMillis']['p50']:.1f} / {c['delayMillis']['p99']:.1f} | "
          f"{c['joinMillis']['p50']:.0f} / {c['joinMillis']['p99']:.0f} | {c['joinsFailed']} |")
o, t = totals["one"], totals["three"]
print()
print(f"three nodes over one, CPU per datagram to participants: {t['per'] / o['per']:.2f} "
      f"(+{t['per'] - o['per']:.2f} µs); generator's own steady figure for node 0: one {o['gen']:.2f} µs, three {t['gen']:.2f} µs")
if t["relay"] > 0:
    print(f"the relay: {t['relay']:.0f} packets in {t['window']:.1f} s "
          f"({t['relay'] / t['window']:.0f}/s); the extra CPU of three nodes over one at one node's µs per datagram: "
          f"{t['cpu'] - o['per'] * t['sent'] / 1e6:.2f} s, {1e6 * (t['cpu'] - o['per'] * t['sent'] / 1e6) / t['relay']:.1f} µs per relayed packet "
          "(every fixed cost of two more JVMs included)")
EOF
