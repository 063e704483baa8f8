#!/usr/bin/env bash
# (b) live: 4 on stage (audio + VP8 at 500 kbit/s) and 300 viewers, against Salotto then Janus.
exec "$(dirname "$0")/run.sh" b --janus -- --room live-b --kind live --publishers 4 --audio --video-kbps 500 --subscribers 300 \
  --join-rate 50 --duration 30s --threads 2 "$@"
