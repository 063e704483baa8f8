#!/usr/bin/env bash
# (c) call: 12 people with audio and video (everyone publishes and subscribes to everyone).
exec "$(dirname "$0")/../../salotto" loadtest --room call-c --publishers 12 --audio --video-kbps 500 --subscribers 0 --duration 30s --report loadtest/target/scenario-c "$@"
