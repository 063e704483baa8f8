// ICE over TCP: two pages in a call whose UDP cannot reach the server. Each page, through a script injected by this
// test only (the app is not changed), removes the server's UDP candidate from every remote description it is given,
// as if UDP were blocked: the only way left to the server is its ICE-TCP candidate ("tcp ... tcptype passive").
// B must decode A's camera, and every connection's selected candidate pair must be TCP.
//
// Config: { baseUrl, room, outputDir, timeoutMs = 30000 }
// Result: { ok, framesDecoded, frameWidth, pairs: [{ local, remote, protocol, state }], candidatesRemoved }

import { failure, log, openPage, poll, run, screenshot } from './lib.mjs';

const DEFAULTS = { room: `icetcp-${Date.now()}`, outputDir: 'target/browser', timeoutMs: 30_000 };

/** In the page, before the app runs: no UDP candidate of the server's reaches the browser's ICE agent. */
function blockUdpCandidates() {
  const pcs = [];
  let removed = 0;
  const strip = (sdp) => sdp.split('\r\n').filter((line) => {
    const udp = /^a=candidate:\S+ \d+ udp /i.test(line);
    if (udp) removed++;
    return !udp;
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
    if (candidate && / udp /i.test(candidate.candidate ?? '')) return Promise.resolve();
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
  for (const [page, name] of [[a, 'A'], [b, 'B']]) {
    await page.addInitScript(blockUdpCandidates);
    await page.goto(`${config.baseUrl}/r/${encodeURIComponent(config.room)}?name=${name}`);
    await page.click('#join');
  }
  const aId = await poll(() => a.evaluate(() => window.salotto.participantId), { timeoutMs: config.timeoutMs });
  if (!aId) throw failure('page A never joined');
  const video = await poll(async () => {
    const s = await b.evaluate(async (id) => (await window.salotto.stats())[id]?.video ?? null, aId);
    return s && s.framesDecoded >= 10 ? s : null;
  }, { timeoutMs: config.timeoutMs });
  const pairs = [...await a.evaluate(() => window.__iceTcp.pairs()), ...await b.evaluate(() => window.__iceTcp.pairs())];
  const removed = await a.evaluate(() => window.__iceTcp.removed()) + await b.evaluate(() => window.__iceTcp.removed());
  log('selected pairs:', JSON.stringify(pairs));
  if (!video) throw failure('B decoded no frames of A\'s camera over TCP', { pairs, candidatesRemoved: removed });
  const shot = await screenshot(b, config.outputDir, 'icetcp-B');
  return {
    framesDecoded: video.framesDecoded,
    frameWidth: video.frameWidth ?? null,
    pairs,
    candidatesRemoved: removed,
    screenshots: [shot],
  };
});
