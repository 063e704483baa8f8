// Downlink cut: publisher P and subscriber S in a call; S's media goes through the test's UDP fault proxy
// (UdpFaultProxy): a script injected by this test only (the app is unchanged) points the server's UDP candidate in each
// of S's remote descriptions at `proxyPort` and takes out its TCP candidate, so S's only way to the server is through
// the proxy. P's camera is asked at 960x540 (Chromium scales its fake camera to it), so the web app sends three layers
// (240x135, 480x270, 960x540: the smallest camera for three; 720p is too heavy for a shared 2-core machine). S shows P large (a wide window), so it receives P's widest layer.
//
// Once S decodes P's widest layer steadily, the script emits `ready` and waits for the test's word on stdin:
// `cut` (the test has just limited S's downlink at the proxy): S's video is sampled every `sampleMs` for `cutMs`; the
// `cut` event says when S first decoded a narrower layer, the longest freeze Chromium counted (freezeCount,
// totalFreezesDuration) and the longest stretch without a new decoded frame, and the frames decoded. `lift` (the limit
// is gone): sampled until S decodes the widest layer again (or `liftTimeoutMs`); the `lift` event says when.
//
// Config: { baseUrl, room, outputDir, proxyPort,
//           receiveTimeoutMs = 60000, how long P and S may take to join and S to decode P's widest layer steadily
//           warmupFrames = 90,        frames at the widest layer without a freeze before `ready`
//           minWidest = 960,          the warm-up waits for P to send a layer this wide (Chromium drops its top
//                                     layer for a while when the machine is busy)
//           sampleMs = 100, cutMs = 15000, liftTimeoutMs = 60000, commandTimeoutMs = 120000 }
//
// Events: { event: "ready", ids, widest, candidatesRewritten, pairs }
//         { event: "cut", ms, downMs, narrowest, endWidth, longestFreezeMs, longestStallMs, freezes, framesDecoded,
//           widths } (widths: [msSinceCut, frameWidth] at each change)
//         { event: "lift", upMs, endWidth, longestFreezeMs, longestStallMs, widths }
// Result: { ok, ids, events, screenshots }

import { createInterface } from 'node:readline';
import { emit, failure, log, openPage, poll, run, screenshot } from './lib.mjs';

const DEFAULTS = {
  room: `downlinkcut-${Date.now()}`,
  outputDir: 'target/browser',
  receiveTimeoutMs: 60_000,
  warmupFrames: 90,
  minWidest: 960,
  sampleMs: 100,
  cutMs: 15_000,
  liftTimeoutMs: 60_000,
  commandTimeoutMs: 120_000,
};

/** In each page, before the app runs: keeps its peer connections; in S, sends its media through the proxy; in P, an HD camera. */
function instrument({ proxyPort, hdCamera }) {
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
  if (hdCamera) {
    const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = (c) => getUserMedia(c && c.video
      ? { ...c, video: { ...(typeof c.video === 'object' ? c.video : {}), width: 960, height: 540 } } : c);
  }

  const open = () => pcs.filter((pc) => pc.connectionState !== 'closed');
  window.__downlink = {
    rewritten: () => rewritten,
    /** Video received (S has one remote video: P's camera), summed over its receivers. */
    async received() {
      const entries = [];
      for (const pc of open()) {
        for (const e of (await pc.getStats()).values()) {
          if (e.type === 'inbound-rtp' && e.kind === 'video') entries.push(e);
        }
      }
      const sum = (n) => entries.reduce((t, e) => t + (e[n] ?? 0), 0);
      return {
        framesDecoded: sum('framesDecoded'),
        freezeCount: sum('freezeCount'),
        totalFreezesDuration: sum('totalFreezesDuration'),
        frameWidth: Math.max(0, ...entries.map((e) => e.frameWidth ?? 0)),
      };
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

/**
 * Samples S's video every `sampleMs` until `done(sample, elapsedMs)` says so or `maxMs` passes: the layer widths it
 * decoded (at each change), the longest freeze Chromium counted and the longest stretch with no new decoded frame.
 */
async function watch(received, { sampleMs, maxMs, done }) {
  const started = Date.now();
  const first = await received();
  let last = first;
  let lastFrameAt = started;
  let longestStallMs = 0;
  let longestFreezeMs = 0;
  const freezes = [];
  const widths = [[0, first.frameWidth]];
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, sampleMs));
    const now = Date.now();
    const r = await received();
    if (r.framesDecoded > last.framesDecoded) lastFrameAt = now;
    longestStallMs = Math.max(longestStallMs, now - lastFrameAt);
    if (r.freezeCount > last.freezeCount) {
      // Chromium adds a freeze's duration when it ends: over one sample, the new freezes' share each.
      const ms = Math.round((1000 * (r.totalFreezesDuration - last.totalFreezesDuration)) / (r.freezeCount - last.freezeCount));
      freezes.push([now - started, ms]);
      longestFreezeMs = Math.max(longestFreezeMs, ms);
    }
    if (r.frameWidth !== widths[widths.length - 1][1]) widths.push([now - started, r.frameWidth]);
    last = r;
    if (done(r, now - started) || now - started >= maxMs) {
      return { ms: now - started, first, last, widths, freezes, longestFreezeMs, longestStallMs };
    }
  }
}

run(DEFAULTS, async (config, launch) => {
  if (!config.baseUrl || !config.proxyPort) throw new Error('config.baseUrl and config.proxyPort are required');
  const browser = await launch();
  const pages = {
    P: await openPage(browser, 'P'),
    S: await openPage(browser, 'S', { viewport: { width: 1600, height: 1000 } }),
  };
  await pages.P.addInitScript(instrument, { proxyPort: 0, hdCamera: true });
  await pages.S.addInitScript(instrument, { proxyPort: config.proxyPort, hdCamera: false });
  const ids = {};
  for (const label of ['P', 'S']) {
    await pages[label].goto(`${config.baseUrl}/r/${encodeURIComponent(config.room)}?name=${label}`);
    await pages[label].click('#join');
    ids[label] = await poll(() => pages[label].evaluate(() => window.salotto.participantId),
      { timeoutMs: config.receiveTimeoutMs });
    if (!ids[label]) throw failure(`page ${label} did not join room ${config.room}`, { ids });
  }
  const received = () => pages.S.evaluate(() => window.__downlink.received());
  const pairs = () => pages.S.evaluate(() => window.__downlink.pairs());
  const widest = async () => Math.max(0, ...(await pages.P.evaluate(() => window.__downlink.widths())));

  // Warm-up: S decodes the widest layer P sends, then `warmupFrames` more at that width without a freeze.
  let base = null;
  let top = 0;
  const steady = await poll(async () => {
    const r = await received();
    top = await widest();
    if (!base || r.frameWidth !== base.frameWidth || r.freezeCount !== base.freezeCount || r.frameWidth !== top
        || top < config.minWidest) {
      base = r;
      return false;
    }
    return r.framesDecoded >= base.framesDecoded + config.warmupFrames;
  }, { timeoutMs: config.receiveTimeoutMs, intervalMs: 500 });
  const candidatesRewritten = await pages.S.evaluate(() => window.__downlink.rewritten());
  if (!steady) {
    throw failure(`S did not decode P's widest layer steadily (${config.warmupFrames} frames without a freeze)`, {
      ids, candidatesRewritten, pairs: await pairs(), received: await received(), base, top,
    });
  }
  const wide = base.frameWidth;
  emit({ event: 'ready', ids, widest: wide, publisherWidths: await pages.P.evaluate(() => window.__downlink.widths()),
    candidatesRewritten, pairs: await pairs() });

  const nextLine = lineReader();
  const events = [];
  for (;;) {
    const line = await nextLine(config.commandTimeoutMs);
    if (line === null) throw failure(`no word from the test within ${config.commandTimeoutMs} ms`, { ids, events });
    if (line === 'done') break;
    let event;
    if (line === 'cut') {
      const w = await watch(received, { sampleMs: config.sampleMs, maxMs: config.cutMs, done: () => false });
      const down = w.widths.find(([, width]) => width > 0 && width < wide);
      event = {
        event: 'cut', ms: w.ms, downMs: down ? down[0] : -1,
        narrowest: Math.min(...w.widths.map(([, width]) => width).filter((x) => x > 0)),
        endWidth: w.last.frameWidth, longestFreezeMs: w.longestFreezeMs, longestStallMs: w.longestStallMs,
        freezes: w.freezes, framesDecoded: w.last.framesDecoded - w.first.framesDecoded, widths: w.widths,
      };
    } else if (line === 'lift') {
      const w = await watch(received, {
        sampleMs: config.sampleMs, maxMs: config.liftTimeoutMs, done: (r) => r.frameWidth >= wide,
      });
      event = {
        event: 'lift', upMs: w.last.frameWidth >= wide ? w.ms : -1, endWidth: w.last.frameWidth,
        longestFreezeMs: w.longestFreezeMs, longestStallMs: w.longestStallMs, freezes: w.freezes,
        framesDecoded: w.last.framesDecoded - w.first.framesDecoded, widths: w.widths,
      };
    } else {
      throw failure(`unknown word from the test: ${line}`, { ids, events });
    }
    log(`${event.event}:`, JSON.stringify(event));
    events.push(event);
    emit(event);
  }
  const screenshots = await Promise.all(['P', 'S'].map((l) => screenshot(pages[l], config.outputDir, `downlinkcut-${l}`)));
  return { ids, events, screenshots };
});
