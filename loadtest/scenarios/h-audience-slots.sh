#!/usr/bin/env bash
# (h) a space's audience on fixed audio slots: the same listeners with 3 and then 13 speakers talking (the host, 12
# speakers: the space's speakers' limit is raised by its 2 co-hosts, as the generator puts no co-host on), the host
# moving a speaker to the audience and back (--stage-moves). Prints, per run, the server's CPU per listener per second
# in the steady state, the most audio streams a listener received and the offers listeners got during the moves.
#
#   loadtest/scenarios/h-audience-slots.sh [LISTENERS (100)] [SECONDS (20)]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/server.sh"
listeners="${1:-100}"; seconds="${2:-20}"
out="loadtest/target/scenario-h"
mkdir -p "$out"
build_scenario
relax_address_limits
export SALOTTO_ROOMS_SPACE_SPEAKERS_MAX=12
export SALOTTO_MEDIA_AUDIENCE_AUDIO_SLOTS=3
start_server "$out"
loadtest --url "http://127.0.0.1:$http_port" --room warmup --publishers 3 --audio --subscribers 60 --join-rate 30 \
  --duration 8s > "$out/warmup.txt" 2>&1 || true
# Per speaker count: a run with the speakers alone, then one with the listeners; the difference of the server's CPU
# rate over the listeners is their own cost (the speakers' streams to one another are in both). No stage moves in
# these: a speaker moved off the stage and back no longer publishes (Salotto stops what a demoted person sent).
run() { # SPEAKERS LISTENERS [FLAGS...]
  local speakers="$1" n="$2"; shift 2
  loadtest --url "http://127.0.0.1:$http_port" --server-pid "$server_pid" --report "$out/s$speakers-l$n$*" \
    --room "slots-$speakers-$n" --kind space --publishers "$speakers" --audio --subscribers "$n" --join-rate 10 \
    --duration "${seconds}s" "$@" > "$out/s$speakers-l$n$*.txt"
}
for speakers in 3 13; do
  run "$speakers" 0
  run "$speakers" "$listeners"
  python3 - "$out/s$speakers-l0/report.json" "$out/s$speakers-l$listeners/report.json" "$speakers" "$listeners" <<'PY'
import json, sys
alone, full = (json.load(open(f)) for f in sys.argv[1:3])
speakers, listeners = sys.argv[3], int(sys.argv[4])
rate = lambda r: r["server"]["steady"]["cpuSeconds"] / r["server"]["steady"]["seconds"]
a = full["audience"]
per = (rate(full) - rate(alone)) / listeners * 1e6
print(f"{speakers} speakers: server CPU {rate(alone) * 100:.1f}% of a core alone, {rate(full) * 100:.1f}% with "
      f"{listeners} listeners = {per:.0f} µs CPU per listener per second; listeners: at most "
      f"{a['maxAudioStreams']} audio streams ({a['meanAudioStreams']:.2f} on average)")
PY
done
# The stage moves: 13 speakers, the listeners, the host moving the last speaker to the audience and back.
run 13 "$listeners" --stage-moves
grep '^listeners:' "$out/s13-l$listeners--stage-moves.txt"
