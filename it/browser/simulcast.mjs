// Simulcast in a call of three: P, S and L join one room and publish their cameras in three layers (the web app's
// sendEncodings). S and L have the same large window (1600x1000), so at first they receive the same layer of P's
// camera (`before`, sampled once they do). Then page S shows its tiles small (96x72 CSS pixels, set on the tile
// elements as a layout would), page L keeps them large. The server then sends S the low layer
// of P's camera and L the highest P sends: S decodes a narrower frame than L. Chromium's fake camera is 640x480, so
// the web app sends two layers, 320x240 and 640x480 (the top one only once Chromium's bandwidth estimate allows).
//
// Config: { baseUrl, room, outputDir,
//           receiveTimeoutMs = 45000,  how long all three may take to decode video from each other
//           minFrames = 20,            video frames to decode from each remote first
//           switchTimeoutMs = 30000 }  how long S and L may take to decode different layers of P
//
// Result: { ok, receiving: { ms }, before: { small, large, widest } (equal widths, P's widest layer), after: { small, large }, switchMs, publisher, screenshots }
// where small and large = P's video as S and L decode it: { framesDecoded, frameWidth, frameHeight }, and publisher =
// P's outbound-rtp for video per rid: { [rid]: { frameWidth, bytesSent } }.

import { failure, log, openPage, poll, run, screenshot } from './lib.mjs';

const DEFAULTS = {
  room: `simulcast-${Date.now()}`,
  outputDir: 'target/browser',
  receiveTimeoutMs: 45_000,
  minFrames: 20,
  switchTimeoutMs: 30_000,
};
const LABELS = ['P', 'S', 'L'];

/** P's video as a page decodes it. */
async function videoOf(page, publisherId) {
  const stats = await page.evaluate(() => window.salotto.stats());
  const video = stats[publisherId]?.video ?? {};
  return { framesDecoded: video.framesDecoded ?? 0, frameWidth: video.frameWidth ?? 0, frameHeight: video.frameHeight ?? 0 };
}

/** P's outbound video per rid. */
function layersSent(page) {
  return page.evaluate(async () => {
    const out = {};
    const pcs = window.__peerConnections ?? [];
    for (const pc of pcs) {
      for (const entry of (await pc.getStats()).values()) {
        if (entry.type === 'outbound-rtp' && entry.kind === 'video' && entry.rid) {
          out[entry.rid] = { frameWidth: entry.frameWidth ?? 0, bytesSent: entry.bytesSent ?? 0 };
        }
      }
    }
    return out;
  });
}

run(DEFAULTS, async (config, launch) => {
  if (!config.baseUrl) throw new Error('config.baseUrl is required');
  const browser = await launch();
  const pages = {
    P: await openPage(browser, 'P'),
    S: await openPage(browser, 'S', { viewport: { width: 1600, height: 1000 } }),
    L: await openPage(browser, 'L', { viewport: { width: 1600, height: 1000 } }),
  };
  // Keeps P's peer connections where layersSent() finds them; the app itself is unchanged.
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

  const startedAt = Date.now();
  const receiving = await poll(async () => {
    for (const label of LABELS) {
      const stats = await pages[label].evaluate(() => window.salotto.stats());
      for (const other of LABELS.filter((l) => l !== label)) {
        if ((stats[ids[other]]?.video?.framesDecoded ?? 0) < config.minFrames) return false;
      }
    }
    return true;
  }, { timeoutMs: config.receiveTimeoutMs, intervalMs: 500 });
  const result = { script: 'simulcast', room: config.room, receiving: { ms: Date.now() - startedAt } };
  if (!receiving) throw failure(`not every page decoded video from both others within ${config.receiveTimeoutMs} ms`, result);
  // The same large tiles, the same layer: the widest P sends (Chromium sends its top layer once its bandwidth estimate
  // allows, which can take a while on a busy machine).
  result.before = await poll(async () => {
    const small = await videoOf(pages.S, ids.P);
    const large = await videoOf(pages.L, ids.P);
    // P must be sending more than one width: while Chromium sends only its lowest layer (its estimate still low),
    // the widest it sends is that one, and a small tile would have nothing lower to move to.
    const widths = Object.values(await layersSent(pages.P)).map((l) => l.frameWidth).filter((w) => w > 0);
    const widest = Math.max(0, ...widths);
    const narrowest = Math.min(...widths);
    return small.frameWidth > 0 && small.frameWidth === large.frameWidth && small.frameWidth === widest
      && widest > narrowest ? { small, large, widest } : null;
  }, { timeoutMs: config.switchTimeoutMs, intervalMs: 250 });
  if (!result.before) throw failure('S and L, with the same tiles, never both decoded the widest of the layers P sends', result);

  // S shows its tiles small; its ResizeObserver tells the server (videoSize), which moves S to the low layer.
  const shrunkAt = Date.now();
  await pages.S.evaluate(() => {
    for (const tile of document.querySelectorAll('#tiles .tile')) {
      tile.style.width = '96px';
      tile.style.height = '72px';
    }
  });
  let last = null;
  const apart = await poll(async () => {
    const small = await videoOf(pages.S, ids.P);
    const large = await videoOf(pages.L, ids.P);
    last = { small, large };
    return small.frameWidth > 0 && large.frameWidth > small.frameWidth
      && small.framesDecoded > result.before.small.framesDecoded ? last : null;
  }, { timeoutMs: config.switchTimeoutMs, intervalMs: 250 });
  result.switchMs = apart ? Date.now() - shrunkAt : null;
  result.after = last;
  result.publisher = await layersSent(pages.P);
  result.screenshots = await Promise.all(LABELS.map((l) => screenshot(pages[l], config.outputDir, `simulcast-${l}`)));
  log('simulcast:', JSON.stringify(result));
  if (!apart) throw failure(`S (small tiles) and L (large) did not decode different layers within ${config.switchTimeoutMs} ms`, result);
  return result;
});
