#!/usr/bin/env bash
# (b) live with simulcast: 4 on stage (audio + VP8 in three layers sharing 500 kbit/s: q 1/8, h 2/8, f 5/8) and 300
# viewers showing the stage at three tile sizes by turns (small, medium, large: each gets the layer that covers it).
# Salotto only (the generator's simulcast speaks Salotto's signaling). b-live.sh's flags otherwise, so that the two
# compare: `run.sh b -- FLAGS` without --simulcast is the one-encoding run of the same shape. VIEWERS (300): the
# viewers (the generator refuses a flag given twice).
exec "$(dirname "$0")/run.sh" b-simulcast -- --room live-b --kind live --publishers 4 --audio --video-kbps 500 \
  --subscribers "${VIEWERS:-300}" --join-rate 50 --duration 30s --threads 2 --simulcast --viewer-sizes small:1,medium:1,large:1 "$@"
