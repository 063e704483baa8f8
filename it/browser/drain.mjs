// SIGTERM drain, as the people in a room see it (issue 10, "Must show"): the host goes live on a desktop page, a
// viewer watches on a 390x844 phone. The script prints {"event":"ready","room":...} and waits for a line `sigterm` on
// stdin: the test has sent SIGTERM to the server. Every page must show the drain banner ("Salotto is restarting…" with
// the server's message), then, when the server ends the room and closes with 1012, an end screen that says the server
// restarted or the room ended, never "You were disconnected".
//
// Config: { baseUrl, outputDir, timeoutMs = 45000, endTimeoutMs = 40000 }
// Result: { ok, room, pages: {host, viewer} (each { draining: {title, text}, notice: {code, title, text} }), screenshots }

import { awaitInRoom, awaitVideo, createRoom, grantClipboard, joinByLink, signUp, stepShots } from './app.mjs';
import { PHONE, failure, openPage, poll, run, waitForLine } from './lib.mjs';

const DEFAULTS = { outputDir: 'target/screenshots/drain', timeoutMs: 45_000, endTimeoutMs: 40_000 };

run(DEFAULTS, async (config, launch) => {
  const browser = await launch();
  const shots = stepShots(config.outputDir);
  const host = await openPage(browser, 'drain-host');
  await grantClipboard(host, config.baseUrl);
  await signUp(host, config.baseUrl, 'Dora Drain');
  const link = await createRoom(host, { kind: 'live', title: 'Last song' });
  await host.click('#open-room');
  await host.waitForSelector('#join:not([disabled])');
  await host.click('#join');
  const hostMe = await awaitInRoom(host, 'the host');
  const viewer = await openPage(browser, 'drain-viewer', PHONE);
  await joinByLink(viewer, link, 'Vito');
  await awaitInRoom(viewer, 'the viewer');
  if (!await awaitVideo(viewer, hostMe.id, { minFrames: 10, timeoutMs: config.timeoutMs })) throw failure('the viewer never saw the host');
  const room = new URL(link).pathname.split('/').pop();
  process.stdout.write(`${JSON.stringify({ event: 'ready', room })}\n`);
  if (await waitForLine('sigterm', 60_000) !== 'stdin') throw failure('no "sigterm" line from the test');

  const pages = { host, viewer };
  const result = { room, pages: {} };
  await Promise.all(Object.entries(pages).map(async ([label, page]) => {
    const draining = await poll(() => page.evaluate(() => {
      const banner = document.querySelector('#draining');
      return banner ? { title: banner.querySelector('#draining-title')?.textContent, text: banner.querySelector('#draining-text')?.textContent } : null;
    }), { timeoutMs: 10_000, intervalMs: 100 });
    if (draining) await shots.take(page, `${label}-draining`);
    const notice = await poll(() => page.evaluate(() => {
      const n = document.querySelector('#notice');
      return n ? { code: n.dataset.code, title: n.querySelector('#notice-title')?.textContent, text: n.querySelector('#notice-text')?.textContent } : null;
    }), { timeoutMs: config.endTimeoutMs, intervalMs: 200 });
    const shown = await page.evaluate(() => ({ phase: window.salotto.phase, link: window.salotto.link }));
    await shots.take(page, `${label}-after-restart`);
    result.pages[label] = { draining, notice, shown };
  }));
  result.screenshots = shots.paths;
  return result;
});
