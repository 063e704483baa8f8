#!/usr/bin/env bash
# (g) notification fan-out at scale (issue 13): host B with 10,000 followers (written straight into the server's
# PostgreSQL schema, 1,000 of them with a browser session) goes live; 1,000 followers have the notification stream
# open. Prints the time from "go live" until each connected follower's stream has the went_live notification
# (p50/p99/max), when the fan-out to all 10,000 finished, and the database work: rows inserted/updated/deleted in the
# schema (pg_stat_user_tables) and the worker's transactions and statements (/metrics). Starts Salotto on ports
# 18480/18481 on PostgreSQL (PGURL, default jdbc:postgresql://127.0.0.1:5432/test, a fresh schema), stops it after.
#
#   loadtest/scenarios/g-fanout.sh [FANOUT FLAGS...]     (salotto loadtest fanout --help lists them)
#
# Output: loadtest/target/scenario-g/fanout.txt and salotto-server.log.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/server.sh"
out="loadtest/target/scenario-g"
mkdir -p "$out"
build_scenario
relax_address_limits
pg="${PGURL:-jdbc:postgresql://127.0.0.1:5432/test}"
schema="salotto_fanout_$$"
psql -h 127.0.0.1 -U postgres -d test -qc "CREATE SCHEMA $schema"
trap 'stop; psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA $schema CASCADE" || true' EXIT
export SALOTTO_DATABASE_URL="$pg?currentSchema=$schema" SALOTTO_DATABASE_USER=postgres
start_server "$out"
loadtest fanout --url "http://127.0.0.1:$http_port" --db-url "$pg?currentSchema=$schema" "$@" | tee "$out/fanout.txt"
