#!/usr/bin/env bash
# (d) join storm: 500 listeners joining one space at 50 per second (one speaker, so that joins end in media).
exec "$(dirname "$0")/run.sh" d -- --room storm-d --publishers 1 --audio --subscribers 500 --join-rate 50 \
  --duration 10s --threads 2 "$@"
