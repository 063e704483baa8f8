#!/usr/bin/env python3
"""The figures of docs/performance.md's "costs of simulcast" from the b-simulcast-{before,after}-N.json reports here."""
import glob, json, os
here = os.path.dirname(os.path.abspath(__file__))
print("| run | loss | delay p50 / p99 ms | joins failed, join p50 / p99 ms | server datagrams/s sent | "
      "server µs per packet sent | server CPU per viewer per second | by tile size: kbit/s per stream, main layer |")
print("|---|---|---|---|---|---|---|---|")
for f in sorted(glob.glob(os.path.join(here, "b-simulcast-*-[0-9].json"))):
    r = json.load(open(f))
    c, s = r["client"], r["server"]["steady"]
    viewers = r["config"].get("subscribers", 300) if isinstance(r.get("config"), dict) else 300
    rate = s["serverDatagramsSent"] / s["seconds"]
    per_viewer = s["cpuSeconds"] / s["seconds"] / viewers * 1e6
    sizes = []
    for g in r.get("video", {}).get("bySize", []):
        share = g["layerShare"]
        main = max(range(len(share)), key=lambda i: share[i])
        sizes.append(f'{g["size"]} {g["kbpsPerStream"]:.0f}, {["one", "q", "h", "f"][main]} {100 * share[main]:.0f}%')
    print(f'| {os.path.basename(f)[12:-5]} | {c["lossPercent"]:.3f} % | {c["delayMillis"]["p50"]:.1f} / '
          f'{c["delayMillis"]["p99"]:.0f} | {c["joinsFailed"]}, {c["joinMillis"]["p50"]:.0f} / {c["joinMillis"]["p99"]:.0f} | '
          f'{rate:,.0f} | {s["cpuMicrosPerPacketSent"]:.2f} | {per_viewer:.0f} µs | {"; ".join(sizes)} |')
