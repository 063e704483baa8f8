// Refusals as people meet them in the web app, each told in a sentence: a host who allows no camera cannot go live;
// a locked room turns a newcomer away until the host unlocks it; "end for all" tells everyone the room has ended,
// and its link says so afterwards.
//
// Config: { baseUrl, outputDir, timeoutMs = 30000 }
// Result: { ok, noDevices: {text, joinDisabled}, locked: {code, title}, afterUnlock: {role}, ended: {code, title},
//           endedLink: {code, title}, screenshots }

import { awaitInRoom, createRoom, grantClipboard, joinByLink, signUp, stepShots } from './app.mjs';
import { openPage, run } from './lib.mjs';

const DEFAULTS = { outputDir: 'target/screenshots/refusals', timeoutMs: 30_000 };

async function noticeOf(page) {
  await page.waitForSelector('#notice', { timeout: 10_000 });
  return { code: await page.getAttribute('#notice', 'data-code'), title: await page.textContent('#notice-title'),
    text: await page.textContent('#notice-text') };
}

run(DEFAULTS, async (config, launch) => {
  const browser = await launch();
  const shots = stepShots(config.outputDir);

  // A host whose browser refuses the camera and microphone (as when the person said no to the prompt).
  const shy = await openPage(browser, 'refusals-shy-host');
  await shy.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });
  await grantClipboard(shy, config.baseUrl);
  await signUp(shy, config.baseUrl, 'Shy Host');
  await createRoom(shy, { kind: 'live', title: 'Camera shy' });
  await shy.click('#open-room');
  await shy.waitForSelector('#device-problem');
  const noDevices = { text: await shy.textContent('#device-problem'), joinDisabled: await shy.isDisabled('#join') };
  await shots.take(shy, 'no-camera-cannot-host');

  // A host locks a call; a newcomer is turned away, then let in once it is unlocked.
  const host = await openPage(browser, 'refusals-host');
  const guest = await openPage(browser, 'refusals-guest');
  await grantClipboard(host, config.baseUrl);
  await signUp(host, config.baseUrl, 'Lou Lock');
  const link = await createRoom(host, { kind: 'call', title: 'Closed doors' });
  await host.click('#open-room');
  await host.click('#join');
  await awaitInRoom(host, 'the host');
  await host.click('#lock');
  await host.waitForSelector('#locked-badge');
  await shots.take(host, 'host-locked');
  await joinByLink(guest, link, 'Nina Newcomer');
  const locked = await noticeOf(guest);
  await shots.take(guest, 'newcomer-locked-out');
  await host.click('#lock');
  await host.waitForSelector('#locked-badge', { state: 'detached' });
  await guest.click('#try-again');
  await guest.waitForSelector('#join-form');
  await guest.fill('#name', 'Nina Newcomer');
  await guest.click('#join');
  const afterUnlock = await awaitInRoom(guest, 'the newcomer');

  // The host ends the call for all: the guest is told, and the link says so afterwards.
  await host.click('#end-room');
  await host.click('#confirm-end-yes');
  const ended = await noticeOf(guest);
  await shots.take(guest, 'told-room-ended');
  await guest.reload();
  const endedLink = await noticeOf(guest);
  await shots.take(guest, 'ended-link');
  return { noDevices, locked, afterUnlock, ended, endedLink, screenshots: shots.paths };
});
