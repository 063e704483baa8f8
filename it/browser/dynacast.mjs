// Dynacast in a call of two: P and S join one room and publish their cameras in simulcast layers (the web app's
// sendEncodings; Chromium's fake camera is 640x480, so two layers: h 320x240 and f 640x480). S's window is large
// (1600x1000), so at first it receives P's f. Then S shows its tiles small (96x72 CSS pixels, set on the tile elements
// as a layout would): its ResizeObserver tells the server (videoSize), S moves to h, and once f has gone unneeded for
// the server's pause delay, P is told to pause it (publisherLayers): P's sender turns f's encoding off and its
// outbound-rtp for f stops growing, sampled over `quietWindowMs`, while h's goes on. Then S's tiles go back to the
// layout's own size: f is asked back, P's outbound-rtp for f grows again, and S decodes P's f (its frameWidth).
//
// Config: { baseUrl, room, outputDir,
//           receiveTimeoutMs = 45000,  how long both may take to decode video from each other
//           minFrames = 20,            video frames to decode from each other first
//           switchTimeoutMs = 30000,   how long each step may take (S on f; S on h; f paused; f back and decoded)
//           quietWindowMs = 4000 }     how long f's bytesSent is watched once P has turned it off
//
// Result: { ok, receiving: { ms, decoded: { pOnS, sOnP } (frames each decoded of the other) }, wide (P's f width,
// as S first decodes it), rids: { high, low }, narrow: { frameWidth, ms } (S on the
// smaller layer, ms after the shrink), paused: { ms (from S decoding the smaller layer until P's f encoding went
// off), encodings }, quiet: { ms, high and low: the bytes P sent of each layer during the window, framesDecoded (S's of
// P during it), encodings }, resumed: { ms (from the grow until P's f encoding is on again), growMs (until f's bytesSent grows),
// decodeMs (until S decodes f's width), frameWidth }, screenshots }

import { failure, log, openPage, poll, run, screenshot, sleep } from './lib.mjs';

const DEFAULTS = {
  room: `dynacast-${Date.now()}`,
  outputDir: 'target/browser',
  receiveTimeoutMs: 45_000,
  minFrames: 20,
  switchTimeoutMs: 30_000,
  quietWindowMs: 4_000,
};
const LABELS = ['P', 'S'];

/** P's video as S decodes it. */
async function videoOf(page, publisherId) {
  const stats = await page.evaluate(() => window.salotto.stats());
  const video = stats[publisherId]?.video ?? {};
  return { framesDecoded: video.framesDecoded ?? 0, frameWidth: video.frameWidth ?? 0 };
}

/** P's outbound video per rid: { [rid]: { frameWidth, bytesSent } }. */
function layersSent(page) {
  return page.evaluate(async () => {
    const out = {};
    for (const pc of window.__peerConnections ?? []) {
      if (pc.signalingState === 'closed') continue;
      for (const entry of (await pc.getStats()).values()) {
        if (entry.type === 'outbound-rtp' && entry.kind === 'video' && entry.rid) {
          out[entry.rid] = { frameWidth: entry.frameWidth ?? 0, bytesSent: entry.bytesSent ?? 0 };
        }
      }
    }
    return out;
  });
}

/** P's camera sender's encodings as the app has set them: { [rid]: active }. */
function encodings(page) {
  return page.evaluate(() => {
    const out = {};
    for (const pc of window.__peerConnections ?? []) {
      if (pc.signalingState === 'closed') continue;
      for (const sender of pc.getSenders()) {
        for (const e of sender.getParameters().encodings ?? []) if (e.rid) out[e.rid] = e.active !== false;
      }
    }
    return out;
  });
}

/** Sets S's tiles to a size (as a layout would), or back to the layout's own with null. */
function sizeTiles(page, size) {
  return page.evaluate((size) => {
    for (const tile of document.querySelectorAll('#tiles .tile')) {
      tile.style.width = size ? `${size.width}px` : '';
      tile.style.height = size ? `${size.height}px` : '';
    }
  }, size);
}

run(DEFAULTS, async (config, launch) => {
  if (!config.baseUrl) throw new Error('config.baseUrl is required');
  const browser = await launch();
  const pages = {
    P: await openPage(browser, 'P'),
    S: await openPage(browser, 'S', { viewport: { width: 1600, height: 1000 } }),
  };
  // Keeps P's peer connections where the probes above find them; the app itself is unchanged.
  await pages.P.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    window.__peerConnections = [];
    window.RTCPeerConnection = class extends Native {
      constructor(...args) {
        super(...args);
        window.__peerConnections.push(this);
      }
    };
  });
  for (const label of LABELS) {
    await pages[label].goto(`${config.baseUrl}/r/${encodeURIComponent(config.room)}?name=${label}`);
    await pages[label].click('#join');
  }
  const ids = {};
  for (const label of LABELS) {
    ids[label] = await poll(() => pages[label].evaluate(() => window.salotto.participantId), { timeoutMs: 15_000 });
    if (!ids[label]) throw failure(`page ${label} did not join room ${config.room} within 15 s`, { ids });
  }
  log('joined:', JSON.stringify(ids));
  const result = { script: 'dynacast', room: config.room };
  const shots = async () => {
    result.screenshots = await Promise.all(LABELS.map((l) => screenshot(pages[l], config.outputDir, `dynacast-${l}`)));
  };

  const startedAt = Date.now();
  let decoded = null;
  const receiving = await poll(async () => {
    const s = await videoOf(pages.S, ids.P);
    const p = await videoOf(pages.P, ids.S);
    decoded = { pOnS: s.framesDecoded, sOnP: p.framesDecoded };
    return s.framesDecoded >= config.minFrames && p.framesDecoded >= config.minFrames;
  }, { timeoutMs: config.receiveTimeoutMs, intervalMs: 500 });
  result.receiving = { ms: Date.now() - startedAt, decoded };
  if (!receiving) throw failure(`P and S did not decode each other's video within ${config.receiveTimeoutMs} ms`, result);

  // A large tile: S decodes P's widest layer (once Chromium's bandwidth estimate lets P send it).
  result.wide = await poll(async () => {
    const widest = Math.max(0, ...Object.values(await layersSent(pages.P)).map((l) => l.frameWidth));
    const s = await videoOf(pages.S, ids.P);
    return widest > 0 && s.frameWidth === widest ? widest : null;
  }, { timeoutMs: config.switchTimeoutMs, intervalMs: 250 });
  if (!result.wide) throw failure('S, with a large tile, never decoded the widest layer of P', result);
  const sent = await layersSent(pages.P);
  const high = Object.keys(sent).find((rid) => sent[rid].frameWidth === result.wide);
  const low = Object.keys(sent).find((rid) => rid !== high);
  result.rids = { high, low };
  if (!high || !low) throw failure('P does not send two layers', { ...result, sent });

  // S's tiles go small: S moves down a layer; P's high layer then goes unneeded, and is paused after the delay.
  const shrunkAt = Date.now();
  await sizeTiles(pages.S, { width: 96, height: 72 });
  const narrow = await poll(async () => {
    const s = await videoOf(pages.S, ids.P);
    return s.frameWidth > 0 && s.frameWidth < result.wide ? s : null;
  }, { timeoutMs: config.switchTimeoutMs, intervalMs: 250 });
  result.narrow = narrow && { frameWidth: narrow.frameWidth, ms: Date.now() - shrunkAt };
  if (!narrow) throw failure('S, with small tiles, never decoded a narrower layer of P', result);
  const narrowAt = Date.now();
  const off = await poll(async () => {
    const e = await encodings(pages.P);
    return e[high] === false ? e : null;
  }, { timeoutMs: config.switchTimeoutMs, intervalMs: 100 });
  result.paused = off && { ms: Date.now() - narrowAt, encodings: off };
  if (!off) {
    await shots();
    throw failure(`P's ${high} encoding was never turned off though nobody receives it`, result);
  }

  // The quiet window, from half a second after the encoding went off (packets the pacer held then may still go out and
  // be counted): the high layer's bytesSent must not move in it.
  await sleep(500);
  const before = await layersSent(pages.P);
  const decodedBefore = (await videoOf(pages.S, ids.P)).framesDecoded;
  const quietFrom = Date.now();
  await sleep(config.quietWindowMs);
  const after = await layersSent(pages.P);
  result.quiet = {
    ms: Date.now() - quietFrom,
    high: after[high].bytesSent - before[high].bytesSent,
    low: after[low].bytesSent - before[low].bytesSent,
    framesDecoded: (await videoOf(pages.S, ids.P)).framesDecoded - decodedBefore,
    encodings: await encodings(pages.P),
  };
  log('quiet:', JSON.stringify(result.quiet));

  // S's tiles go back to the layout's size: the high layer is asked back at once, P sends it, S decodes it.
  const grownAt = Date.now();
  const grownBytes = after[high].bytesSent;
  await sizeTiles(pages.S, null);
  const on = await poll(async () => ((await encodings(pages.P))[high] === true ? Date.now() - grownAt : null),
    { timeoutMs: config.switchTimeoutMs, intervalMs: 100 });
  const grows = await poll(async () => ((await layersSent(pages.P))[high].bytesSent > grownBytes
    ? Date.now() - grownAt : null), { timeoutMs: config.switchTimeoutMs, intervalMs: 100 });
  const wideAgain = await poll(async () => {
    const s = await videoOf(pages.S, ids.P);
    return s.frameWidth === result.wide ? { ms: Date.now() - grownAt, frameWidth: s.frameWidth } : null;
  }, { timeoutMs: config.switchTimeoutMs, intervalMs: 100 });
  result.resumed = { ms: on, growMs: grows, decodeMs: wideAgain?.ms ?? null,
    frameWidth: wideAgain?.frameWidth ?? (await videoOf(pages.S, ids.P)).frameWidth };
  result.publisher = await layersSent(pages.P);
  await shots();
  log('dynacast:', JSON.stringify(result));
  if (on === null) throw failure(`P's ${high} encoding was not turned on again when S's tiles grew`, result);
  if (grows === null) throw failure(`P's outbound-rtp for ${high} did not grow again`, result);
  if (!wideAgain) throw failure(`S did not decode P's ${high} layer again within ${config.switchTimeoutMs} ms`, result);
  return result;
});
