#!/usr/bin/env bash
# Starts Debian's Janus (apt-get install janus) on loopback for the load generator's side-by-side runs: the
# configuration of this folder, the videoroom plugin and the WebSocket transport (ws://127.0.0.1:8188) only.
# Runs in the foreground unless --background is given, which prints Janus's pid and writes loadtest/target/janus.pid.
# Not a system service: stop it with kill $(cat loadtest/target/janus.pid).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN="$HERE/../target/janus"
LIB=/usr/lib/x86_64-linux-gnu/janus
command -v janus >/dev/null || { echo "janus is not installed: apt-get install janus" >&2; exit 1; }
rm -rf "$RUN" && mkdir -p "$RUN/conf" "$RUN/plugins" "$RUN/transports" "$RUN/empty"
ln -s "$LIB/plugins/libjanus_videoroom.so" "$RUN/plugins/"
ln -s "$LIB/transports/libjanus_websockets.so" "$RUN/transports/"
sed -e "s|@CONFIGS@|$RUN/conf|" -e "s|@PLUGINS@|$RUN/plugins|" -e "s|@TRANSPORTS@|$RUN/transports|" \
    -e "s|@EMPTY@|$RUN/empty|" "$HERE/janus.jcfg" > "$RUN/conf/janus.jcfg"
cp "$HERE/janus.transport.websockets.jcfg" "$HERE/janus.plugin.videoroom.jcfg" "$RUN/conf/"
if [ "${1:-}" = "--background" ]; then
  janus --config "$RUN/conf/janus.jcfg" --configs-folder "$RUN/conf" --log-file "$RUN/janus.log" -N > /dev/null 2>&1 &
  pid=$!
  echo "$pid" > "$HERE/../target/janus.pid"
  for _ in $(seq 50); do
    if (exec 3<>/dev/tcp/127.0.0.1/8188) 2>/dev/null; then echo "$pid"; exit 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "janus exited; see $RUN/janus.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "janus did not open ws://127.0.0.1:8188; see $RUN/janus.log" >&2
  exit 1
fi
exec janus --config "$RUN/conf/janus.jcfg" --configs-folder "$RUN/conf"
