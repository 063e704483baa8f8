// Screen sharing: page A joins and shares its screen, page B must decode video from A's screen tile as well as from
// A's camera; then A stops sharing and B's screen tile goes away.
//
// Config: { baseUrl, room, outputDir, timeoutMs = 30000 }
// Result: { ok, screenFrames, cameraFrames, screenTileShown, screenTileRemovedMs }

import { failure, log, openPage, poll, run, screenshot } from './lib.mjs';

const DEFAULTS = { room: `screen-${Date.now()}`, outputDir: 'target/browser', timeoutMs: 30_000 };

run(DEFAULTS, async (config, launch) => {
  const browser = await launch({ extraArgs: ['--auto-select-desktop-capture-source=Entire screen', '--enable-usermedia-screen-capturing'] });
  const [a, b] = await Promise.all([openPage(browser, 'screen-A'), openPage(browser, 'screen-B')]);
  for (const [page, name] of [[a, 'A'], [b, 'B']]) {
    await page.goto(`${config.baseUrl}/r/${encodeURIComponent(config.room)}?name=${name}`);
    await page.click('#join');
  }
  const aId = await poll(() => a.evaluate(() => window.salotto.participantId), { timeoutMs: config.timeoutMs });
  if (!aId) throw failure('page A never joined');
  if (!await poll(() => a.evaluate(() => window.salotto.ready), { timeoutMs: config.timeoutMs })) {
    throw failure('page A never started publishing');
  }
  await a.click('#share-screen');
  log('A clicked share screen');
  const screenTrack = await poll(async () => {
    const s = await b.evaluate(async (id) => (await window.salotto.screenStats())[id] ?? null, aId);
    return s && s.framesDecoded >= 10 ? s : null;
  }, { timeoutMs: config.timeoutMs });
  if (!screenTrack) throw failure('B decoded no frames of A\'s screen', { errors: await a.evaluate(() => window.salotto.errors()) });
  const camera = await b.evaluate(async (id) => (await window.salotto.stats())[id]?.video ?? null, aId);
  const shot = await screenshot(b, config.outputDir, 'screenshare-B');
  const stoppedAt = Date.now();
  await a.click('#share-screen');
  const removed = await poll(() => b.evaluate(() => !document.querySelector('[data-participant-id$=":screen"]')), { timeoutMs: 5000 });
  return {
    ok: true,
    screenFrames: screenTrack.framesDecoded,
    cameraFrames: camera?.framesDecoded ?? 0,
    screenTileRemovedMs: removed ? Date.now() - stoppedAt : null,
    screenshots: [shot],
  };
});
