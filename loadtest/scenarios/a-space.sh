#!/usr/bin/env bash
# (a) space: 3 speakers (audio) and 1,000 listeners, against Salotto then Janus. Extra flags go to the generator.
# Joins are paced at the generator's default, 10 a second (the join storm at 50 a second is scenario d); add
# --join-rate 50 to see what a 2-core machine does when both come at once (docs/performance.md).
exec "$(dirname "$0")/run.sh" a --janus ${PROFILE:+--profile} -- --room space-a --publishers 3 --audio --subscribers 1000 --join-rate 10 \
  --duration 30s --threads 2 "$@"
