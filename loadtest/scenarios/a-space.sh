#!/usr/bin/env bash
# (a) space: 3 speakers (audio) and 1,000 listeners, against Salotto then Janus. Extra flags go to the generator.
exec "$(dirname "$0")/run.sh" a --janus ${PROFILE:+--profile} -- --room space-a --publishers 3 --audio --subscribers 1000 --join-rate 50 \
  --duration 30s --threads 2 "$@"
