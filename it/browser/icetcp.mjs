// ICE over TCP: two pages in a call, and what their UDP to the server is allowed. A script injected by this test only
// (the app is not changed) rewrites the server's UDP candidate in every remote description the page is given:
//   udp: "remove"    the candidate is taken out: the only way left is the ICE-TCP candidate ("tcptype passive");
//   udp: "blackhole" its port becomes `blackholePort`, a UDP socket of the test's that answers nothing, as a firewall
//                    dropping UDP would: the browser tries UDP, gets no answer, and must fall back to TCP;
//   udp: "open"      nothing changes: the browser has both and must prefer UDP (the TCP candidate's lower priority).
// B must decode A's camera; the result lists every connection's selected candidate pair.
//
// Config: { baseUrl, room, outputDir, udp = "remove", blackholePort, timeoutMs = 30000 }
// Result: { ok, framesDecoded, frameWidth, decodedAfterMs (from opening the room to 10 frames decoded), pairs: [{ local, remote, protocol, state, bytesSent, bytesReceived }],
//           candidatesRewritten }

import { failure, log, openPage, poll, run, screenshot } from './lib.mjs';

const DEFAULTS = { room: `icetcp-${Date.now()}`, outputDir: 'target/browser', udp: 'remove', timeoutMs: 30_000 };

/** In the page, before the app runs: the server's UDP candidates as `mode` says (see above). */
function rewriteUdpCandidates({ mode, blackholePort }) {
  const pcs = [];
  let removed = 0;
  const udpLine = /^(a=candidate:\S+ \d+ udp \d+ \S+ )(\d+)( .*)$/i;
  const strip = (sdp) => sdp.split('\r\n').flatMap((line) => {
    const udp = line.match(udpLine);
    if (!udp || mode === 'open') return [line];
    removed++;
    return mode === 'blackhole' ? [`${udp[1]}${blackholePort}${udp[3]}`] : [];
  }).join('\r\n');
  const Native = window.RTCPeerConnection;
  const setRemote = Native.prototype.setRemoteDescription;
  Native.prototype.setRemoteDescription = function (description, ...rest) {
    if (description && typeof description.sdp === 'string') {
      description = { type: description.type, sdp: strip(description.sdp) };
    }
    return setRemote.call(this, description, ...rest);
  };
  const addCandidate = Native.prototype.addIceCandidate;
  Native.prototype.addIceCandidate = function (candidate, ...rest) {
    if (mode !== 'open' && candidate && / udp /i.test(candidate.candidate ?? '')) return Promise.resolve();
    return addCandidate.call(this, candidate, ...rest);
  };
  window.RTCPeerConnection = function (...args) {
    const pc = new Native(...args);
    pcs.push(pc);
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Native);
  /** The selected candidate pair of each connection this page made: protocols and state. */
  window.__iceTcp = {
    removed: () => removed,
    async pairs() {
      const out = [];
      for (const pc of pcs) {
        if (pc.connectionState === 'closed') continue;
        const stats = await pc.getStats();
        for (const entry of stats.values()) {
          if (entry.type !== 'transport' || !entry.selectedCandidatePairId) continue;
          const pair = stats.get(entry.selectedCandidatePairId);
          const local = stats.get(pair.localCandidateId);
          const remote = stats.get(pair.remoteCandidateId);
          out.push({
            state: pair.state,
            local: `${local.protocol} ${local.candidateType} ${local.tcpType ?? ''}`.trim(),
            remote: `${remote.protocol} ${remote.candidateType} ${remote.address}:${remote.port}`,
            protocol: remote.protocol,
            bytesSent: pair.bytesSent ?? 0,
            bytesReceived: pair.bytesReceived ?? 0,
          });
        }
      }
      return out;
    },
  };
}

run(DEFAULTS, async (config, launch) => {
  const browser = await launch();
  const [a, b] = await Promise.all([openPage(browser, 'tcp-A'), openPage(browser, 'tcp-B')]);
  const started = Date.now();
  for (const [page, name] of [[a, 'A'], [b, 'B']]) {
    await page.addInitScript(rewriteUdpCandidates, { mode: config.udp, blackholePort: config.blackholePort });
    await page.goto(`${config.baseUrl}/r/${encodeURIComponent(config.room)}?name=${name}`);
    await page.click('#join');
  }
  const aId = await poll(() => a.evaluate(() => window.salotto.participantId), { timeoutMs: config.timeoutMs });
  if (!aId) throw failure('page A never joined');
  const video = await poll(async () => {
    const s = await b.evaluate(async (id) => (await window.salotto.stats())[id]?.video ?? null, aId);
    return s && s.framesDecoded >= 10 ? s : null;
  }, { timeoutMs: config.timeoutMs });
  const decodedAfterMs = Date.now() - started;
  const pairs = [...await a.evaluate(() => window.__iceTcp.pairs()), ...await b.evaluate(() => window.__iceTcp.pairs())];
  const removed = await a.evaluate(() => window.__iceTcp.removed()) + await b.evaluate(() => window.__iceTcp.removed());
  log(`UDP ${config.udp}: 10 frames decoded after ${Date.now() - started} ms; selected pairs:`, JSON.stringify(pairs));
  if (!video) throw failure(`B decoded no frames of A's camera (UDP ${config.udp})`, { pairs, candidatesRewritten: removed });
  const shot = await screenshot(b, config.outputDir, `icetcp-${config.udp}-B`);
  return {
    framesDecoded: video.framesDecoded,
    frameWidth: video.frameWidth ?? null,
    decodedAfterMs,
    pairs,
    candidatesRewritten: removed,
    screenshots: [shot],
  };
});
