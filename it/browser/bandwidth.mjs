// Bandwidth: does a video sent through Salotto reach the other side at the bitrate a direct call reaches?
//
// (a) Two pages join one Salotto room; after `durationMs` of received video, B's inbound video bitrate from A is
//     measured over the last `windowMs` (bytesReceived delta over the inbound-rtp timestamp delta).
// (b) Two fresh pages connect directly through p2p.html (this script relays their SDP); same measurement.
//
// Config: { baseUrl, room, outputDir, durationMs = 15000, windowMs = 3000, startTimeoutMs = 30000,
//           modes = ["sfu", "p2p"] }
// Result: { ok, sfu: { bitrate, ... }, p2p: { bitrate, ... }, ratio }   (bitrates in bits per second)

import { failure, log, openPage, poll, run, screenshot, sleep } from './lib.mjs';

const DEFAULTS = {
  room: `bandwidth-${Date.now()}`,
  outputDir: 'target/browser',
  durationMs: 15_000,
  windowMs: 3_000,
  startTimeoutMs: 30_000,
  modes: ['sfu', 'p2p'],
};

/** Bits per second between two video figure samples. */
function bitrate(before, after) {
  const seconds = (after.timestamp - before.timestamp) / 1000;
  return seconds > 0 ? Math.round((8 * (after.bytesReceived - before.bytesReceived)) / seconds) : 0;
}

/**
 * Waits for video, lets it run `durationMs`, then measures over `windowMs`. `videoOf(page)` gives the receiver's
 * video figures (framesDecoded, bytesReceived, timestamp, frameWidth) or null.
 */
async function measure(receiver, videoOf, config, phase) {
  const started = await poll(async () => {
    const video = await videoOf(receiver);
    return video && video.framesDecoded > 0 ? video : null;
  }, { timeoutMs: config.startTimeoutMs });
  if (!started) throw failure(`${phase}: no video decoded within ${config.startTimeoutMs} ms`, { phase });
  log(`${phase}: video is flowing; waiting ${config.durationMs} ms`);
  // The interval is the point: a bitrate is bytes over a window of the wall clock, not a wait for an event.
  await sleep(Math.max(0, config.durationMs - config.windowMs));
  const before = await videoOf(receiver);
  await sleep(config.windowMs);
  const after = await videoOf(receiver);
  const figures = {
    bitrate: bitrate(before, after),
    windowMs: Math.round(after.timestamp - before.timestamp),
    framesDecoded: after.framesDecoded,
    framesInWindow: after.framesDecoded - before.framesDecoded,
    frameWidth: after.frameWidth,
    frameHeight: after.frameHeight,
    packetsLost: after.packetsLost,
  };
  log(`${phase}:`, JSON.stringify(figures));
  return figures;
}

async function throughSalotto(config, launch) {
  const browser = await launch();
  const [a, b] = await Promise.all([openPage(browser, 'sfu-A'), openPage(browser, 'sfu-B')]);
  try {
    const room = `${config.room}`;
    for (const [page, name] of [[a, 'A'], [b, 'B']]) {
      await page.goto(`${config.baseUrl}/r/${encodeURIComponent(room)}?name=${name}`);
      await page.click('#join');
    }
    const aId = await poll(() => a.evaluate(() => window.salotto.participantId), { timeoutMs: config.startTimeoutMs });
    if (!aId) throw failure('sfu: page A never joined', { phase: 'sfu' });
    const videoOf = (page) => page.evaluate(async (id) => (await window.salotto.stats())[id]?.video ?? null, aId);
    const figures = await measure(b, videoOf, config, 'sfu');
    figures.sender = await a.evaluate(() => window.salotto.publisherStats());
    figures.screenshots = [
      await screenshot(a, config.outputDir, 'bandwidth-sfu-A'),
      await screenshot(b, config.outputDir, 'bandwidth-sfu-B'),
    ];
    await Promise.all([a, b].map((page) => page.click('#leave', { timeout: 5000 }).catch(() => {})));
    return figures;
  } finally {
    await Promise.all([a, b].map((page) => page.context().close()));
  }
}

async function peerToPeer(config, launch) {
  const browser = await launch({ exposeLocalAddresses: true });
  const [a, b] = await Promise.all([openPage(browser, 'p2p-A'), openPage(browser, 'p2p-B')]);
  try {
    await Promise.all([a, b].map((page) => page.goto(`${config.baseUrl}/p2p.html`)));
    const offer = await a.evaluate(() => window.p2p.createOffer());
    const answer = await b.evaluate((sdp) => window.p2p.acceptOffer(sdp), offer);
    await a.evaluate((sdp) => window.p2p.acceptAnswer(sdp), answer);
    const videoOf = (page) => page.evaluate(async () => (await window.p2p.stats()).video ?? null);
    const figures = await measure(b, videoOf, config, 'p2p');
    figures.candidatePair = await b.evaluate(() => window.p2p.selectedPair());
    figures.screenshots = [
      await screenshot(a, config.outputDir, 'bandwidth-p2p-A'),
      await screenshot(b, config.outputDir, 'bandwidth-p2p-B'),
    ];
    await Promise.all([a, b].map((page) => page.evaluate(() => window.p2p.close())));
    return figures;
  } finally {
    await Promise.all([a, b].map((page) => page.context().close()));
  }
}

run(DEFAULTS, async (config, launch) => {
  if (!config.baseUrl) throw new Error('config.baseUrl is required');
  const result = { script: 'bandwidth', durationMs: config.durationMs, windowMs: config.windowMs };
  // The two phases run one after the other, never together: each gets the whole machine.
  if (config.modes.includes('sfu')) result.sfu = await throughSalotto(config, launch);
  if (config.modes.includes('p2p')) result.p2p = await peerToPeer(config, launch);
  if (result.sfu && result.p2p) {
    result.ratio = result.p2p.bitrate > 0 ? Number((result.sfu.bitrate / result.p2p.bitrate).toFixed(3)) : null;
  }
  return result;
});
