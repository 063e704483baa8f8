// Leaving the stage keeps a person in the room (issue 10, "Must show"), all through the web app:
//  - a live: the host invites a viewer on stage; the host takes her off ("Take off stage"); invited again, she leaves
//    by herself ("Leave the stage");
//  - a space: the host invites a listener to speak, then moves him to the audience ("Move to audience").
// After each, the person is still in the room (phase "in", the same participant id, no end screen), back in the
// audience, and within `withinMs` still receives the stage: the host's video frames decoded (live) or audio samples
// (space) rising.
//
// Config: { baseUrl, outputDir, withinMs = 2000, timeoutMs = 45000 }
// Result: { ok, cases: { takenOff, leftByHerself, movedToAudience } (each { before, after: {phase, id, role, notice},
//           receivingMs, figures }), screenshots }

import { audioOf, awaitInRoom, awaitVideo, clickPersonAction, createRoom, grantClipboard, joinByLink, signUp, stepShots, videoOf }
  from './app.mjs';
import { failure, openPage, poll, run } from './lib.mjs';

const DEFAULTS = { outputDir: 'target/screenshots/stage-exit', withinMs: 2000, timeoutMs: 45_000 };

function standing(page) {
  return page.evaluate(() => ({
    phase: window.salotto.phase, id: window.salotto.participantId, role: window.salotto.role,
    publishing: window.salotto.publishing, notice: document.querySelector('#notice')?.dataset.code ?? null,
  }));
}

/** Waits until `page` has the role and publishes (or not). */
async function awaitRole(page, role, publishing, who) {
  const ok = await poll(async () => {
    const s = await standing(page);
    return s.role === role && s.publishing === publishing ? s : null;
  }, { timeoutMs: 15_000 });
  if (!ok) throw failure(`${who} never became ${role}`, { now: await standing(page), errors: await page.evaluate(() => window.salotto.errors()) });
  return ok;
}

/**
 * Runs `act` (a click through Playwright) and returns when the press reached `page`: a capture listener sees the click
 * on `selector`. Playwright's click() can take a second or more to deliver it on a busy machine, and the person's wait
 * starts at their press; the pages share this machine's clock. When no press was seen, the time `act` began.
 */
async function timedPress(page, selector, act) {
  await page.evaluate((s) => {
    window.__pressedAt = null;
    document.addEventListener('click', (event) => {
      if (window.__pressedAt === null && event.target instanceof Element && event.target.closest(s)) {
        window.__pressedAt = Date.now();
      }
    }, { capture: true });
  }, selector);
  const started = Date.now();
  await act();
  return (await page.evaluate(() => window.__pressedAt).catch(() => null)) ?? started;
}

/**
 * After leaving the stage: still in as the same person, and the stage's media still arriving: `figure` of `read`
 * rising by `by` within `withinMs` of the press (`since`, when it reached the page) that took the person off the stage.
 */
async function stillReceiving(page, before, read, figure, by, since, withinMs) {
  const after = await standing(page);
  if (after.phase !== 'in' || after.id !== before.id || after.notice) {
    throw failure('off the stage, out of the room', { before, after });
  }
  const first = await read();
  const rising = await poll(async () => {
    const now = await read();
    return now && first && now[figure] >= first[figure] + by ? now : null;
  }, { timeoutMs: Math.max(0, since + withinMs - Date.now()), intervalMs: 100 });
  const receivingMs = rising ? Date.now() - since : null;
  const end = await standing(page);
  if (end.phase !== 'in' || end.id !== before.id || end.notice) throw failure('left the room afterwards', { before, end });
  return { before, after: end, receivingMs, figures: { first, last: rising ?? await read() } };
}

run(DEFAULTS, async (config, launch) => {
  const browser = await launch();
  const shots = stepShots(config.outputDir);
  const cases = {};

  // A live: the host goes live, Vera watches.
  const host = await openPage(browser, 'exit-live-host');
  await grantClipboard(host, config.baseUrl);
  await signUp(host, config.baseUrl, 'Hal Host');
  const liveLink = await createRoom(host, { kind: 'live', title: 'Stage doors' });
  await host.click('#open-room');
  await host.waitForSelector('#join:not([disabled])');
  await host.click('#join');
  const hostMe = await awaitInRoom(host, 'the live host');
  const vera = await openPage(browser, 'exit-vera');
  await joinByLink(vera, liveLink, 'Vera');
  const veraMe = await awaitInRoom(vera, 'Vera');
  if (!await awaitVideo(vera, hostMe.id, { minFrames: 10, timeoutMs: config.timeoutMs })) throw failure('Vera never saw the host');
  const hostFrames = () => videoOf(vera, hostMe.id);

  // Taken off the stage by the host.
  await clickPersonAction(host, veraMe.id, 'promote');
  await vera.waitForSelector('#invitation', { timeout: 10_000 });
  await vera.click('#accept-invitation');
  const onStage = await awaitRole(vera, 'guest', true, 'Vera');
  await shots.take(vera, 'vera-on-stage');
  let since = await timedPress(host, `#people-list li[data-participant-id="${veraMe.id}"] button.demote`,
    () => clickPersonAction(host, veraMe.id, 'demote'));
  await awaitRole(vera, 'viewer', false, 'Vera, taken off');
  cases.takenOff = await stillReceiving(vera, onStage, hostFrames, 'framesDecoded', 10, since, config.withinMs);
  await shots.take(vera, 'vera-taken-off-still-watching');

  // On stage again, she leaves it by herself.
  await clickPersonAction(host, veraMe.id, 'promote');
  await vera.waitForSelector('#invitation', { timeout: 10_000 });
  await vera.click('#accept-invitation');
  const again = await awaitRole(vera, 'guest', true, 'Vera, again');
  since = await timedPress(vera, '#leave-stage', () => vera.click('#leave-stage'));
  await awaitRole(vera, 'viewer', false, 'Vera, leaving');
  cases.leftByHerself = await stillReceiving(vera, again, hostFrames, 'framesDecoded', 10, since, config.withinMs);
  await shots.take(vera, 'vera-left-stage-still-watching');

  // A space: Sid is invited to speak, then moved to the audience.
  const spaceHost = await openPage(browser, 'exit-space-host');
  await grantClipboard(spaceHost, config.baseUrl);
  await signUp(spaceHost, config.baseUrl, 'Sue Space');
  const spaceLink = await createRoom(spaceHost, { kind: 'space', title: 'Speakers corner' });
  await spaceHost.click('#open-room');
  await spaceHost.waitForSelector('#join:not([disabled])');
  await spaceHost.click('#join');
  const spaceHostMe = await awaitInRoom(spaceHost, 'the space host');
  const sid = await openPage(browser, 'exit-sid');
  await joinByLink(sid, spaceLink, 'Sid');
  const sidMe = await awaitInRoom(sid, 'Sid');
  await clickPersonAction(spaceHost, sidMe.id, 'promote');
  await sid.waitForSelector('#invitation', { timeout: 10_000 });
  await sid.click('#accept-invitation');
  const speaking = await awaitRole(sid, 'speaker', true, 'Sid');
  const hostAudio = () => audioOf(sid, spaceHostMe.id);
  if (!await poll(async () => (await hostAudio())?.totalSamplesReceived > 0, { timeoutMs: config.timeoutMs })) {
    throw failure('Sid never heard the space host');
  }
  since = await timedPress(spaceHost, `#people-list li[data-participant-id="${sidMe.id}"] button.demote`,
    () => clickPersonAction(spaceHost, sidMe.id, 'demote'));
  await awaitRole(sid, 'listener', false, 'Sid, moved to the audience');
  // 48 kHz: 0.5 s of the host's voice.
  cases.movedToAudience = await stillReceiving(sid, speaking, hostAudio, 'totalSamplesReceived', 24_000, since,
    config.withinMs);
  await shots.take(sid, 'sid-moved-to-audience-still-listening');

  return { ids: { host: hostMe.id, vera: veraMe.id, spaceHost: spaceHostMe.id, sid: sidMe.id }, cases, screenshots: shots.paths };
});
