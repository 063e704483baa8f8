// Steps of the web app done the way a person does them: clicks and typing on the screens of web/src/ui. What a
// person checks is read from the page (text, counts) and from the browser's own figures (getStats, via
// window.salotto), never from the API.

import { failure, poll, screenshot } from './lib.mjs';

/** Signs up on the home page; returns the username. */
export async function signUp(page, baseUrl, displayName) {
  const username = `${displayName.toLowerCase().replace(/[^a-z0-9]/g, '')}${Date.now() % 1_000_000_000}`;
  await page.goto(`${baseUrl}/`);
  await page.click('#tab-sign-up');
  await page.fill('#username', username);
  await page.fill('#display-name', displayName);
  await page.fill('#password', 'a long enough password');
  await page.click('#account-submit');
  await page.waitForSelector('#new-room');
  return username;
}

/**
 * Creates a room with the form and copies its link with the copy button; returns the link read back from the
 * clipboard (the page's context needs the clipboard permissions: see grantClipboard).
 */
export async function createRoom(page, { kind, title, knock = false, activity = null, practice = false }) {
  await page.click('#new-room');
  await page.click(`#create-form input[name="kind"][value="${kind}"]`, { force: true });
  await page.fill('#title', title);
  if (activity) await page.selectOption('#activity', activity);
  if (knock) await page.check('#knock');
  if (practice) await page.check('#practice');
  await page.click('#create');
  await page.waitForSelector('#share-link');
  await page.click('#copy');
  await page.waitForSelector('#copy:has-text("Copied")');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const shown = await page.inputValue('#share-link');
  if (copied !== shown) throw failure('the copy button did not copy the link', { copied, shown });
  return copied;
}

export async function grantClipboard(page, baseUrl) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
}

/** Opens a room link and joins from the pre-join screen with a name (leaves the name as it is when null). */
export async function joinByLink(page, link, name) {
  await page.goto(link);
  await page.waitForSelector('#join-form');
  if (name !== null) await page.fill('#name', name);
  await page.click('#join');
}

/** Waits until the page is in the room and done starting its media; returns { id, role }. */
export async function awaitInRoom(page, who, timeoutMs = 30_000) {
  const ready = await poll(() => page.evaluate(() => window.salotto?.ready && window.salotto.phase === 'in'), { timeoutMs });
  if (!ready) {
    throw failure(`${who} did not get into the room`, {
      over: await page.evaluate(() => window.salotto?.over ?? null), errors: await page.evaluate(() => window.salotto?.errors() ?? []),
    });
  }
  return page.evaluate(() => ({ id: window.salotto.participantId, role: window.salotto.role }));
}

/** The video figures `page` has of `participantId` (framesDecoded, frameWidth, ...), or null. */
export function videoOf(page, participantId) {
  return page.evaluate(async (id) => (await window.salotto.stats())[id]?.video ?? null, participantId);
}

export function audioOf(page, participantId) {
  return page.evaluate(async (id) => (await window.salotto.stats())[id]?.audio ?? null, participantId);
}

/**
 * Waits until `page` decodes at least `minFrames` of `participantId`'s video and its tile's <video> element shows a
 * picture (videoWidth > 0); returns the figures.
 */
export async function awaitVideo(page, participantId, { minFrames = 30, timeoutMs = 45_000 } = {}) {
  const seen = await poll(async () => {
    const video = await videoOf(page, participantId);
    if (!video || video.framesDecoded < minFrames) return null;
    const width = await page.evaluate((id) => document.querySelector(`#tiles [data-participant-id="${id}"] video`)?.videoWidth ?? 0,
      participantId);
    return width > 0 ? { ...video, elementWidth: width } : null;
  }, { timeoutMs, intervalMs: 500 });
  return seen;
}

/** Clicks a button of the people panel for one person, opening the panel first if it is closed (phones). */
export async function clickPersonAction(page, participantId, buttonClass) {
  if (!await page.isVisible('#people')) await page.click('#toggle-people');
  await page.click(`#people-list li[data-participant-id="${participantId}"] button.${buttonClass}`);
}

/** Saves a numbered screenshot of each step into the flow's folder. */
export function stepShots(outputDir) {
  let n = 0;
  const paths = [];
  return {
    paths,
    async take(page, name) {
      n += 1;
      const path = await screenshot(page, outputDir, `${String(n).padStart(2, '0')}-${name}`);
      if (path) paths.push(path);
      return path;
    },
  };
}
