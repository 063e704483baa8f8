// Uplink loss: publisher P and subscriber S in a call. P's media goes through the test's UDP fault proxy
// (UdpFaultProxy): a script injected by this test only (the app is unchanged) points the server's UDP candidate in each
// of P's remote descriptions at `proxyPort` and takes out its TCP candidate, so P's only way to the server is through
// the proxy. S reaches the server directly. Once S decodes P's camera steadily, the script measures windows on the
// test's word: the test sets the proxy's loss, writes `measure <label>` on stdin, and gets a `window` event with what
// S decoded of P's video and what P sent over `windowMs`. `done` ends the run.
//
// Config: { baseUrl, room, outputDir, proxyPort,
//           receiveTimeoutMs = 45000,  how long P and S may take to join and S to decode `warmupFrames` of P's video
//           warmupFrames = 150,        frames S decodes of P's widest layer, without a freeze, before the first
//                                      window (Chromium's send rate ramps up to its top layer first)
//           windowMs = 15000,          each window's length
//           commandTimeoutMs = 60000 } how long the script waits for the test's next line
//
// Events: { event: "ready", ids, candidatesRewritten, pairs } (P's selected candidate pairs: `remote` = address:port)
//         { event: "window", label, ms, subscriber: { framesDecoded, freezeCount, totalFreezesDuration, packetsLost,
//           nackCount, framesDropped, frameWidth }, publisher: { nackCount, retransmittedPacketsSent, packetsSent,
//           framesEncoded } } (all counts are the window's growth; frameWidth is at its end)
// Result: { ok, ids, windows: [...the window events], pairs, screenshots }

import { createInterface } from 'node:readline';
import { emit, failure, log, openPage, poll, run, screenshot } from './lib.mjs';

const DEFAULTS = {
  room: `uplinkloss-${Date.now()}`,
  outputDir: 'target/browser',
  receiveTimeoutMs: 45_000,
  warmupFrames: 150,
  windowMs: 15_000,
  commandTimeoutMs: 60_000,
};

/** In each page, before the app runs: keeps its peer connections; in P, sends its media through the proxy. */
function instrument({ proxyPort }) {
  const pcs = [];
  let rewritten = 0;
  const udpLine = /^(a=candidate:\S+ \d+ udp \d+ )(\S+) (\d+)( .*)$/i;
  const tcpLine = /^a=candidate:\S+ \d+ tcp /i;
  const through = (line) => {
    if (!proxyPort) return line;
    if (tcpLine.test(line)) {
      rewritten++;
      return null;
    }
    const udp = line.match(udpLine);
    if (!udp) return line;
    rewritten++;
    return `${udp[1]}127.0.0.1 ${proxyPort}${udp[4]}`;
  };
  const Native = window.RTCPeerConnection;
  const setRemote = Native.prototype.setRemoteDescription;
  Native.prototype.setRemoteDescription = function (description, ...rest) {
    if (proxyPort && description && typeof description.sdp === 'string') {
      const sdp = description.sdp.split('\r\n').map(through).filter((line) => line !== null).join('\r\n');
      description = { type: description.type, sdp };
    }
    return setRemote.call(this, description, ...rest);
  };
  const addCandidate = Native.prototype.addIceCandidate;
  Native.prototype.addIceCandidate = function (candidate, ...rest) {
    if (proxyPort && candidate && candidate.candidate) {
      const line = through(`a=${candidate.candidate}`);
      if (line === null) return Promise.resolve();
      candidate = { ...(candidate.toJSON ? candidate.toJSON() : candidate), candidate: line.slice(2) };
    }
    return addCandidate.call(this, candidate, ...rest);
  };
  window.RTCPeerConnection = function (...args) {
    const pc = new Native(...args);
    pcs.push(pc);
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Native);

  const open = () => pcs.filter((pc) => pc.connectionState !== 'closed');
  const sum = (entries, names) => Object.fromEntries(names.map((n) => [n, entries.reduce((t, e) => t + (e[n] ?? 0), 0)]));
  window.__uplink = {
    rewritten: () => rewritten,
    /** Video received (S has one remote: P), summed over its receivers. */
    async received() {
      const entries = [];
      for (const pc of open()) {
        for (const e of (await pc.getStats()).values()) {
          if (e.type === 'inbound-rtp' && e.kind === 'video') entries.push(e);
        }
      }
      return {
        ...sum(entries, ['framesDecoded', 'freezeCount', 'totalFreezesDuration', 'packetsLost', 'nackCount', 'framesDropped']),
        frameWidth: Math.max(0, ...entries.map((e) => e.frameWidth ?? 0)),
      };
    },
    /** Video sent, summed over the layers (rids). */
    async sent() {
      const entries = [];
      for (const pc of open()) {
        for (const e of (await pc.getStats()).values()) {
          if (e.type === 'outbound-rtp' && e.kind === 'video') entries.push(e);
        }
      }
      return sum(entries, ['nackCount', 'retransmittedPacketsSent', 'packetsSent', 'framesEncoded']);
    },
    /** The width of each video layer being sent (active, a frame sent). */
    async widths() {
      const out = [];
      for (const pc of open()) {
        for (const e of (await pc.getStats()).values()) {
          if (e.type === 'outbound-rtp' && e.kind === 'video' && e.active !== false && e.frameWidth) out.push(e.frameWidth);
        }
      }
      return out;
    },
    /** The selected candidate pair of each open connection. */
    async pairs() {
      const out = [];
      for (const pc of open()) {
        const stats = await pc.getStats();
        for (const e of stats.values()) {
          if (e.type !== 'transport' || !e.selectedCandidatePairId) continue;
          const pair = stats.get(e.selectedCandidatePairId);
          const remote = stats.get(pair.remoteCandidateId);
          out.push({ remote: `${remote.address}:${remote.port}`, port: remote.port, protocol: remote.protocol });
        }
      }
      return out;
    },
  };
}

const minus = (after, before) => Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] ?? 0)]));

/** The lines the test writes on stdin, one at a time; null when none comes within `timeoutMs`. */
function lineReader() {
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  return (timeoutMs) => {
    let timer;
    const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(null), timeoutMs); });
    return Promise.race([lines.next().then((r) => (r.done ? null : r.value.trim())), timeout])
      .finally(() => clearTimeout(timer));
  };
}

run(DEFAULTS, async (config, launch) => {
  if (!config.baseUrl || !config.proxyPort) throw new Error('config.baseUrl and config.proxyPort are required');
  const browser = await launch();
  const pages = { P: await openPage(browser, 'P'), S: await openPage(browser, 'S') };
  await pages.P.addInitScript(instrument, { proxyPort: config.proxyPort });
  await pages.S.addInitScript(instrument, { proxyPort: 0 });
  const ids = {};
  for (const label of ['P', 'S']) {
    await pages[label].goto(`${config.baseUrl}/r/${encodeURIComponent(config.room)}?name=${label}`);
    await pages[label].click('#join');
    ids[label] = await poll(() => pages[label].evaluate(() => window.salotto.participantId),
      { timeoutMs: config.receiveTimeoutMs });
    if (!ids[label]) throw failure(`page ${label} did not join room ${config.room}`, { ids });
  }
  const received = () => pages.S.evaluate(() => window.__uplink.received());
  const sent = () => pages.P.evaluate(() => window.__uplink.sent());
  const pairs = () => pages.P.evaluate(() => window.__uplink.pairs());

  // Warm-up: S decodes the widest layer P sends (Chromium adds its top layer once its estimate allows, and S switches
  // to it on a keyframe), then `warmupFrames` more at that width without a freeze: the windows start on a steady call.
  const widest = async () => Math.max(0, ...(await pages.P.evaluate(() => window.__uplink.widths())));
  let base = null; // the figures when S last changed layer or froze; the warm-up counts frames from there
  const steady = await poll(async () => {
    const r = await received();
    if (!base || r.frameWidth !== base.frameWidth || r.freezeCount !== base.freezeCount || r.frameWidth !== await widest()) {
      base = r;
      return false;
    }
    return r.framesDecoded >= base.framesDecoded + config.warmupFrames;
  }, { timeoutMs: config.receiveTimeoutMs, intervalMs: 500 });
  const candidatesRewritten = await pages.P.evaluate(() => window.__uplink.rewritten());
  if (!steady) {
    throw failure(`S did not decode P's widest layer steadily (${config.warmupFrames} frames without a freeze)`, {
      ids, candidatesRewritten, pairs: await pairs(), received: await received(), base,
    });
  }
  emit({ event: 'ready', ids, candidatesRewritten, pairs: await pairs() });

  const nextLine = lineReader();
  const windows = [];
  for (;;) {
    const line = await nextLine(config.commandTimeoutMs);
    if (line === null) throw failure(`no word from the test within ${config.commandTimeoutMs} ms`, { ids, windows });
    if (line === 'done') break;
    const [word, label] = line.split(/\s+/);
    if (word !== 'measure') throw failure(`unknown word from the test: ${line}`, { ids, windows });
    const started = Date.now();
    const before = { subscriber: await received(), publisher: await sent() };
    // The window itself is what is measured: a fixed stretch of the call.
    await new Promise((resolve) => setTimeout(resolve, config.windowMs));
    const after = { subscriber: await received(), publisher: await sent() };
    const measured = {
      event: 'window',
      label,
      ms: Date.now() - started,
      subscriber: { ...minus(after.subscriber, before.subscriber), frameWidth: after.subscriber.frameWidth },
      publisher: minus(after.publisher, before.publisher),
    };
    log('window:', JSON.stringify(measured));
    windows.push(measured);
    emit(measured);
  }
  const screenshots = await Promise.all(['P', 'S'].map((l) => screenshot(pages[l], config.outputDir, `uplinkloss-${l}`)));
  return { ids, windows, pairs: await pairs(), screenshots };
});
