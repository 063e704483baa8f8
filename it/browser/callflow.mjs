// The call flow of issue 4, all through the web app: the host signs up, creates a call room in knock mode and copies
// its link; a guest opens the link, types a name and waits in the lobby; the host admits them; both decode each
// other's video; the host removes the guest; the guest is told, and cannot come back by the link.
//
// Config: { baseUrl, outputDir, phone = false (390x844 touch screens for both), timeoutMs = 45000, minFrames = 30 }
// Result: { ok, link, lobby: {shown, hostSaw}, frames: {hostFromGuest, guestFromHost}, removed: {title, text},
//           comeBack: {code, title, text}, hostMembersAfter, screenshots }

import { awaitInRoom, awaitVideo, clickPersonAction, createRoom, grantClipboard, joinByLink, signUp, stepShots } from './app.mjs';
import { PHONE, failure, log, openPage, poll, run } from './lib.mjs';

const DEFAULTS = { outputDir: 'target/screenshots/call', phone: false, timeoutMs: 45_000, minFrames: 30 };

run(DEFAULTS, async (config, launch) => {
  const browser = await launch();
  const screen = config.phone ? PHONE : {};
  const host = await openPage(browser, 'call-host', screen);
  const guest = await openPage(browser, 'call-guest', screen);
  const shots = stepShots(config.outputDir);

  // The host: sign up, create a call room that knocks, copy its link.
  await grantClipboard(host, config.baseUrl);
  await signUp(host, config.baseUrl, 'Hana Host');
  const link = await createRoom(host, { kind: 'call', title: 'Knock knock', knock: true });
  log('link', link);
  await shots.take(host, 'host-link-copied');
  await host.click('#open-room');
  await host.waitForSelector('#preview');
  await shots.take(host, 'host-prejoin');
  await host.click('#join');
  const hostMe = await awaitInRoom(host, 'the host');
  if (hostMe.role !== 'host') throw failure('the creator is not the host', { hostMe });

  // The guest: open the link, type a name, wait in the lobby.
  await joinByLink(guest, link, 'Gus Guest');
  await guest.waitForSelector('#lobby-screen', { timeout: config.timeoutMs });
  const lobbyText = await guest.textContent('#lobby-screen');
  await shots.take(guest, 'guest-in-lobby');

  // The host sees the knock and admits.
  await host.waitForSelector('#lobby li:has-text("Gus Guest")', { timeout: config.timeoutMs });
  const hostSaw = await host.textContent('#lobby li');
  await shots.take(host, 'host-sees-knock');
  await host.click('#lobby li:has-text("Gus Guest") button.admit');
  const guestMe = await awaitInRoom(guest, 'the guest');

  // Both decode each other's video.
  const [guestFromHost, hostFromGuest] = await Promise.all([
    awaitVideo(guest, hostMe.id, { minFrames: config.minFrames, timeoutMs: config.timeoutMs }),
    awaitVideo(host, guestMe.id, { minFrames: config.minFrames, timeoutMs: config.timeoutMs }),
  ]);
  await shots.take(host, 'host-in-call');
  await shots.take(guest, 'guest-in-call');
  if (!guestFromHost || !hostFromGuest) throw failure('the two do not see each other', { guestFromHost, hostFromGuest });

  // The host removes the guest; the guest is told.
  await clickPersonAction(host, guestMe.id, 'remove');
  await guest.waitForSelector('#notice[data-code="removed"]', { timeout: 10_000 });
  const removed = { title: await guest.textContent('#notice-title'), text: await guest.textContent('#notice-text') };
  await shots.take(guest, 'guest-told-removed');
  const gone = await poll(() => host.evaluate((id) => !window.salotto.members().some((m) => m.participantId === id), guestMe.id),
    { timeoutMs: 5000 });
  await shots.take(host, 'host-after-removal');

  // The guest cannot come back by the link, under another name either.
  await joinByLink(guest, link, 'Gus Again');
  await guest.waitForSelector('#notice', { timeout: 10_000 });
  const comeBack = {
    code: await guest.getAttribute('#notice', 'data-code'),
    title: await guest.textContent('#notice-title'),
    text: await guest.textContent('#notice-text'),
  };
  await shots.take(guest, 'guest-cannot-come-back');
  const hostMembersAfter = await host.evaluate(() => window.salotto.members().map((m) => m.name));

  return {
    link,
    phone: config.phone,
    host: hostMe,
    guest: guestMe,
    lobby: { shown: lobbyText, hostSaw },
    frames: { hostFromGuest, guestFromHost },
    removed,
    guestGoneFromHost: Boolean(gone),
    comeBack,
    hostMembersAfter,
    screenshots: shots.paths,
  };
});
