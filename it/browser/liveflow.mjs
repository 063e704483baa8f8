// The live flow of issue 4, all through the web app: the host goes live; two viewers watch (frames decoded, the
// viewer count says 2); one asks to join, the host accepts, and the other viewer now sees two people on stage; two
// more viewers are invited and accept, filling the stage to 4; the host tries to put a 5th person on it, cannot, and
// is told why; the host takes the first guest off the stage, and the viewer who watched it all was sent no new
// subscriber offer since the host's video first played (the stage comes on fixed slots).
//
// Config: { baseUrl, outputDir, timeoutMs = 45000, minFrames = 20 }
// Result: { ok, link, watching: {vera, walt}, viewerCount: {host, walt}, request: {hostSaw}, stageAfterAccept:
//           {tiles, fromHost, fromVera}, fullStage: {roles, banner, waltRole, waltInvited}, afterExit: {tiles,
//           fromHost, offers: {before, after}}, screenshots }

import { awaitInRoom, awaitVideo, clickPersonAction, createRoom, grantClipboard, joinByLink, signUp, stepShots } from './app.mjs';
import { failure, log, openPage, poll, run } from './lib.mjs';

const DEFAULTS = { outputDir: 'target/screenshots/live', timeoutMs: 45_000, minFrames: 20 };

/** The viewer count as the page shows it: the number in #viewer-count, and its text. */
async function viewerCount(page) {
  return page.evaluate(() => {
    const element = document.querySelector('#viewer-count');
    return element ? { count: Number(element.dataset.count), text: element.textContent.trim() } : null;
  });
}

run(DEFAULTS, async (config, launch) => {
  const browser = await launch();
  const shots = stepShots(config.outputDir);
  const host = await openPage(browser, 'live-host');
  const frames = { minFrames: config.minFrames, timeoutMs: config.timeoutMs };

  // The host signs up, creates a live room, copies its link and goes live.
  await grantClipboard(host, config.baseUrl);
  await signUp(host, config.baseUrl, 'Lia Live');
  const link = await createRoom(host, { kind: 'live', title: 'Sunday session', activity: 'dance_party' });
  await host.click('#open-room');
  await host.waitForSelector('#preview');
  await host.click('#join:has-text("Go live")');
  const hostMe = await awaitInRoom(host, 'the host');
  if (hostMe.role !== 'host') throw failure('the creator is not the host', { hostMe });
  await shots.take(host, 'host-live');

  // Two viewers open the link and watch.
  const vera = await openPage(browser, 'live-vera');
  const walt = await openPage(browser, 'live-walt');
  await joinByLink(vera, link, 'Vera');
  await joinByLink(walt, link, 'Walt');
  const veraMe = await awaitInRoom(vera, 'Vera');
  const waltMe = await awaitInRoom(walt, 'Walt');
  if (veraMe.role !== 'viewer' || waltMe.role !== 'viewer') throw failure('viewers come in as viewers', { veraMe, waltMe });
  const watching = { vera: await awaitVideo(vera, hostMe.id, frames), walt: await awaitVideo(walt, hostMe.id, frames) };
  if (!watching.vera || !watching.walt) throw failure('the viewers do not see the host', watching);
  const counted = await poll(async () => {
    const [h, w] = [await viewerCount(host), await viewerCount(walt)];
    return h?.count === 2 && w?.count === 2 ? { host: h, walt: w } : null;
  }, { timeoutMs: 5000 });
  // Walt watches on fixed slots: from now on, the stage's comings and goings send him no new subscriber offer.
  const waltOffers = await walt.evaluate(() => window.salotto.subscribeOffers);
  const viewerCountShown = counted ?? { host: await viewerCount(host), walt: await viewerCount(walt) };
  await shots.take(host, 'host-two-watching');
  await shots.take(walt, 'walt-watching');

  // Vera asks to join; the host sees the request and accepts it.
  await vera.click('#raise-hand:has-text("Ask to join")');
  await host.waitForSelector('#requests li:has-text("Vera")', { timeout: 10_000 });
  const hostSaw = await host.textContent('#requests li');
  await shots.take(host, 'host-sees-request');
  await host.click(`#requests li[data-participant-id="${veraMe.id}"] button.accept`);
  const veraOnStage = await poll(() => vera.evaluate(() => window.salotto.role === 'guest' && window.salotto.publishing),
    { timeoutMs: 15_000 });
  if (!veraOnStage) throw failure('Vera did not go on stage', { errors: await vera.evaluate(() => window.salotto.errors()) });

  // Walt now sees two people on stage.
  const fromVera = await awaitVideo(walt, veraMe.id, frames);
  const tiles = await walt.locator('#tiles .tile').count();
  const fromHost = await awaitVideo(walt, hostMe.id, { ...frames, minFrames: 1 });
  await shots.take(walt, 'walt-sees-two-on-stage');
  await shots.take(vera, 'vera-on-stage');
  if (!fromVera) throw failure('Walt does not see Vera on stage', { tiles });

  // Two more viewers come and are invited on stage: the stage holds 4.
  const more = [];
  for (const name of ['Xena', 'Yuri']) {
    const page = await openPage(browser, `live-${name.toLowerCase()}`);
    await joinByLink(page, link, name);
    const me = await awaitInRoom(page, name);
    await clickPersonAction(host, me.id, 'promote');
    await page.waitForSelector('#invitation', { timeout: 10_000 });
    if (more.length === 0) await shots.take(page, 'invited-to-stage');
    await page.click('#accept-invitation');
    const on = await poll(() => page.evaluate(() => window.salotto.role === 'guest'), { timeoutMs: 10_000 });
    if (!on) throw failure(`${name} did not go on stage`, { errors: await page.evaluate(() => window.salotto.errors()) });
    more.push({ page, me });
  }
  const onStage = await poll(async () => {
    const roles = await host.evaluate(() => window.salotto.members().map((m) => m.role));
    return roles.filter((r) => r === 'host' || r === 'guest').length === 4 ? roles : null;
  }, { timeoutMs: 10_000 });
  log('stage of four:', JSON.stringify(onStage));
  await shots.take(walt, 'walt-sees-full-stage');

  // The host tries to put Walt on the full stage and is told why not.
  await clickPersonAction(host, waltMe.id, 'promote');
  await host.waitForSelector('#banner', { timeout: 5000 });
  const banner = await host.textContent('#banner-text');
  await shots.take(host, 'host-told-stage-full');
  // A barrier, not a fixed wait: the host retitles the room, and once Walt's page shows the new title, anything the
  // server sent Walt before that room event (an invitation, a role) has reached his page too.
  const retitled = 'Sunday session (full stage)';
  const status = await host.evaluate(async (title) => {
    const r = await fetch(`/api/rooms/${window.salotto.room}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-Salotto-Request': '1' },
      body: JSON.stringify({ title }),
    });
    return r.status;
  }, retitled);
  if (status !== 200) throw failure('the host could not retitle the room', { status });
  await walt.waitForFunction((title) => document.querySelector('#room-name')?.textContent === title, retitled,
    { timeout: 10_000 });
  const waltRole = await walt.evaluate(() => window.salotto.role);
  const waltInvited = await walt.isVisible('#invitation');
  const wallTiles = await walt.locator('#tiles .tile').count();

  // The host takes Vera off the stage: Walt still sees the host, Vera's tile goes, and he got no new offer.
  await clickPersonAction(host, veraMe.id, 'demote');
  const veraOff = await poll(() => vera.evaluate(() => window.salotto.role === 'viewer'), { timeoutMs: 10_000 });
  if (!veraOff) throw failure('Vera was not taken off the stage', { errors: await vera.evaluate(() => window.salotto.errors()) });
  const tilesAfterExit = await poll(async () => {
    const n = await walt.locator('#tiles .tile').count();
    return n === 3 ? n : null;
  }, { timeoutMs: 10_000 }) ?? await walt.locator('#tiles .tile').count();
  const hostAfterExit = await awaitVideo(walt, hostMe.id, { ...frames, minFrames: 1 });
  const offers = { before: waltOffers, after: await walt.evaluate(() => window.salotto.subscribeOffers) };

  return {
    link,
    host: hostMe,
    watching,
    viewerCount: viewerCountShown,
    request: { hostSaw },
    stageAfterAccept: { tiles, fromHost, fromVera },
    fullStage: { roles: onStage, banner, waltRole, waltInvited, waltTiles: wallTiles },
    afterExit: { tiles: tilesAfterExit, fromHost: hostAfterExit, offers },
    screenshots: shots.paths,
  };
});
