// Long sessions, through the web app (issue 10, "Must show"): with the server's consent timeout shortened, a live
// whose host is the only publisher stays live while a viewer keeps decoding, and a host alone in a call and a host
// alone in a space stay in, for `holdMs` (10 x the consent timeout). Every `sampleMs` the script checks that nobody
// was shown an end screen or had a connection rebuilt, and that the viewer's framesDecoded rose since the last sample.
//
// Config: { baseUrl, outputDir, holdMs = 20000, sampleMs = 2000, timeoutMs = 45000 }
// Result: { ok, live: {host, viewer}, samples: [{at, viewerFrames, phases: {...}}], end: {live, call, space, viewer}
//           (each { phase, id, notice }), screenshots }

import { awaitInRoom, awaitVideo, createRoom, grantClipboard, joinByLink, signUp, stepShots, videoOf } from './app.mjs';
import { failure, openPage, run, sleep } from './lib.mjs';

const DEFAULTS = { outputDir: 'target/screenshots/long', holdMs: 20_000, sampleMs: 2_000, timeoutMs: 45_000 };

/** How a page stands: its phase, its participant id, and the end screen's code if it shows one. */
function standing(page) {
  return page.evaluate(() => ({
    phase: window.salotto.phase, id: window.salotto.participantId, link: window.salotto.link,
    notice: document.querySelector('#notice')?.dataset.code ?? null,
    // Connections that had to be made again: a resume, a fresh join, a subscriber connection Salotto closed.
    rebuilt: window.salotto.resumes + window.salotto.rejoins + window.salotto.newSubscriberConnections,
  }));
}

/** A new account that creates a room of this kind and opens it, on stage from the start. */
async function hostAlone(page, baseUrl, name, kind) {
  await grantClipboard(page, baseUrl);
  await signUp(page, baseUrl, name);
  const link = await createRoom(page, { kind, title: `${name}'s ${kind}` });
  await page.click('#open-room');
  await page.waitForSelector('#join:not([disabled])');
  await page.click('#join');
  const me = await awaitInRoom(page, `the ${kind} host`);
  if (me.role !== 'host') throw failure(`the creator of the ${kind} is not its host`, { me });
  return { link, me };
}

run(DEFAULTS, async (config, launch) => {
  const browser = await launch();
  const shots = stepShots(config.outputDir);
  const pages = {};
  for (const label of ['live', 'call', 'space', 'viewer']) pages[label] = await openPage(browser, `long-${label}`);

  const live = await hostAlone(pages.live, config.baseUrl, 'Lone Live', 'live');
  await joinByLink(pages.viewer, live.link, 'Vic Viewer');
  const viewer = await awaitInRoom(pages.viewer, 'the viewer');
  const first = await awaitVideo(pages.viewer, live.me.id, { minFrames: 10, timeoutMs: config.timeoutMs });
  if (!first) throw failure('the viewer never decoded the host');
  const call = await hostAlone(pages.call, config.baseUrl, 'Lone Call', 'call');
  const space = await hostAlone(pages.space, config.baseUrl, 'Lone Space', 'space');
  const ids = { live: live.me.id, call: call.me.id, space: space.me.id, viewer: viewer.id };

  // Hold: every sample, everyone still in as themselves, and the viewer's picture still moving.
  const start = Date.now();
  const samples = [];
  let lastFrames = first.framesDecoded;
  while (Date.now() - start < config.holdMs) {
    // The hold's length and pace are the point: sample k is due at start + k * sampleMs, whatever the sampling itself
    // took, so that the hold gives holdMs / sampleMs samples.
    await sleep(Math.max(0, start + (samples.length + 1) * config.sampleMs - Date.now()));
    const phases = {};
    for (const [label, page] of Object.entries(pages)) phases[label] = await standing(page);
    const video = await videoOf(pages.viewer, live.me.id);
    const sample = { at: Date.now() - start, viewerFrames: video?.framesDecoded ?? 0, phases };
    samples.push(sample);
    const out = Object.entries(phases).find(([label, p]) => p.phase !== 'in' || p.notice || p.id !== ids[label] || p.rebuilt);
    if (out) throw failure(`the ${out[0]} page left the room or lost a connection after ${sample.at} ms`, { samples });
    if (sample.viewerFrames <= lastFrames) throw failure(`the viewer's picture froze at ${sample.at} ms`, { samples });
    lastFrames = sample.viewerFrames;
  }
  await shots.take(pages.live, 'live-host-still-live');
  await shots.take(pages.viewer, 'viewer-still-watching');
  await shots.take(pages.call, 'call-host-alone-still-in');
  await shots.take(pages.space, 'space-host-alone-still-in');
  const end = {};
  for (const [label, page] of Object.entries(pages)) end[label] = await standing(page);
  return { ids, live: { host: live.me, viewer }, firstFrames: first.framesDecoded, samples, end, screenshots: shots.paths };
});
