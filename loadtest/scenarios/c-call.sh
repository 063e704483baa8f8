#!/usr/bin/env bash
# (c) call: 12 people with audio and video (everyone publishes and receives everyone else), Salotto only.
exec "$(dirname "$0")/run.sh" c -- --room call-c --kind call --publishers 12 --audio --video-kbps 500 --subscribers 0 \
  --duration 30s --threads 2 "$@"
