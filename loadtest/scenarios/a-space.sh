#!/usr/bin/env bash
# (a) space: 3 speakers (audio) and 1,000 listeners. Pass --server-pid PID for the server's CPU per packet.
exec "$(dirname "$0")/../../salotto" loadtest --room space-a --publishers 3 --audio --subscribers 1000 --join-rate 50 --duration 30s --threads 2 --report loadtest/target/scenario-a "$@"
