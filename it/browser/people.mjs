// Issue 13's "Browser, as people use it", all through the web app: A follows B from B's profile; B opens a space; A's
// open home page shows the notification within 2 s and one click takes A into the space. B schedules a live with
// invitee C and a start a little more than the server's (shortened) reminder lead away; C gets the invitation; D asks
// to be reminded from B's profile; the server restarts (the test's JUnit side does it when asked, on the same port and
// database); the reminder reaches C and D at the lead time and again at the start, exactly once each. B goes live; A,
// told by the bell, comes in with one click and reports B from the people list; the admin page shows the report and
// the admin ends the room, and the people in it are told.
//
// Desktop pages are 1280x800, phone pages 390x844; each screen is saved from both sizes as people-NN-<step>-desktop.png
// and -phone.png in outputDir.
//
// Config: { baseUrl, outputDir, leadMs, withinMs = 2000, lateMs = 5000, settleMs = 6000 }
//   leadMs: the server's notifications.reminder-lead; lateMs: how late after its time a reminder may arrive;
//   settleMs: how long C's and D's pages may take to show the invitation that comes after every copy of the reminders.
// Events: {"event": "restart"} (the script then waits for the line "restarted" on stdin).
// Result: { ok, people, follow, spaceOpened, scheduled, invitation, remindMe, restart, reminders, report, admin, screenshots }

import { awaitInRoom, grantClipboard, signUp } from './app.mjs';
import { PHONE, emit, failure, openPage, poll, run, screenshot, waitForLine } from './lib.mjs';

const DEFAULTS = { outputDir: 'target/screenshots', withinMs: 2000, lateMs: 5000, settleMs: 6000 };
const DESKTOP = Object.freeze({ viewport: { width: 1280, height: 800 } });
const PHONE_SIZE = { width: 390, height: 844 };
/** How long before the lead-time reminder the restart must be over, so that the reminder is the restarted server's. */
const RESTART_ROOM_MS = 20_000;

/** Each step's screen from both sizes: the page's own, then the other one, then back. */
function screens(outputDir) {
  let n = 0;
  const paths = [];
  return {
    paths,
    async take(page, name) {
      n += 1;
      const base = `people-${String(n).padStart(2, '0')}-${name}`;
      const own = page.viewportSize();
      const phone = own.width === PHONE_SIZE.width;
      const first = await screenshot(page, outputDir, `${base}-${phone ? 'phone' : 'desktop'}`);
      const other = phone ? DESKTOP.viewport : PHONE_SIZE;
      await page.setViewportSize(other);
      await laidOutAt(page, other.width);
      const second = await screenshot(page, outputDir, `${base}-${phone ? 'desktop' : 'phone'}`);
      await page.setViewportSize(own);
      paths.push(...[first, second].filter(Boolean));
    },
    /** Only at the page's own size: a screen that would not wait for the other (a toast about to be clicked). */
    async takeOne(page, name) {
      n += 1;
      const phone = page.viewportSize().width === PHONE_SIZE.width;
      const path = await screenshot(page, outputDir, `people-${String(n).padStart(2, '0')}-${name}-${phone ? 'phone' : 'desktop'}`);
      if (path) paths.push(path);
    },
  };
}

/** Waits until the page is at `width` and has drawn a frame since: its layout at the new size is on screen. */
async function laidOutAt(page, width) {
  await page.waitForFunction((w) => window.innerWidth === w && document.documentElement.clientWidth <= w, width);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/**
 * Makes the page note every notification it shows as a toast, the moment it first appears:
 * window.__toasts = [{id, type, roomId, text, at}].
 */
function watchToasts(page) {
  return page.addInitScript(() => {
    window.__toasts = [];
    const note = () => {
      for (const toast of document.querySelectorAll('#toasts .toast')) {
        const id = toast.dataset.notificationId;
        if (window.__toasts.some((t) => t.id === id)) continue;
        const row = toast.querySelector('.notification');
        window.__toasts.push({ id, type: toast.dataset.type, roomId: row?.dataset.roomId ?? null,
          text: toast.querySelector('.notification-text')?.textContent ?? '', at: Date.now() });
      }
    };
    const start = () => new MutationObserver(note).observe(document.body, { childList: true, subtree: true });
    if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
  });
}

const toastsOn = (page) => page.evaluate(() => window.__toasts ?? []);

/** Makes the page note when it first shows the room itself (window.__inRoomAt): a host's room is open from then. */
function watchEntering(page) {
  return page.addInitScript(() => {
    const note = () => {
      if (!window.__inRoomAt && document.querySelector('.page.room')) window.__inRoomAt = Date.now();
    };
    const start = () => new MutationObserver(note).observe(document.body, { childList: true, subtree: true });
    if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
  });
}

/** Waits for a toast of `type` (about `roomId` if given) on `page`; returns it, or null. */
function awaitToast(page, type, roomId, timeoutMs) {
  return poll(async () => (await toastsOn(page)).find((t) => t.type === type && (!roomId || t.roomId === roomId)),
    { timeoutMs, intervalMs: 50 });
}

/** Waits until the page's bell says its notification stream is open. */
async function awaitStream(page, who) {
  const open = await poll(() => page.evaluate(() => document.querySelector('#bell')?.dataset.stream === 'open'), { timeoutMs: 15_000 });
  if (!open) throw failure(`${who}'s notification stream did not open`, {});
}

/** The notifications the page's inbox lists (the bell's panel, opened and closed again). */
async function inbox(page) {
  await page.click('#bell');
  await page.waitForSelector('#inbox');
  await poll(() => page.evaluate(() => document.querySelector('#inbox .notification, #inbox .inbox-empty') !== null), { timeoutMs: 5000 });
  const items = await page.evaluate(() => [...document.querySelectorAll('#inbox .notification')].map((a) => ({
    id: a.dataset.notificationId, type: a.dataset.type, roomId: a.dataset.roomId ?? null,
    text: a.querySelector('.notification-text')?.textContent ?? '', unread: a.classList.contains('unread'),
  })));
  return items;
}

async function closeInbox(page) {
  if (await page.isVisible('#inbox')) await page.click('#inbox button[aria-label="Close notifications"]');
}

/** A datetime-local value `ms` from now or more, on a whole minute (the field's precision), in the page's time zone. */
function startField(page, atLeastMs) {
  return page.evaluate((ms) => {
    const at = new Date(Date.now() + ms);
    if (at.getSeconds() || at.getMilliseconds()) at.setMinutes(at.getMinutes() + 1, 0, 0);
    const pad = (n) => String(n).padStart(2, '0');
    return { value: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`,
      epochMs: at.getTime() };
  }, atLeastMs);
}

/** A 320x320 PNG drawn by the page: B's avatar. */
async function drawnPng(page) {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 320;
    const g = canvas.getContext('2d');
    const gradient = g.createLinearGradient(0, 0, 320, 320);
    gradient.addColorStop(0, '#ff8a5c');
    gradient.addColorStop(1, '#7c5cff');
    g.fillStyle = gradient;
    g.fillRect(0, 0, 320, 320);
    g.fillStyle = '#fff';
    g.beginPath();
    g.arc(160, 130, 60, 0, Math.PI * 2);
    g.fill();
    g.beginPath();
    g.ellipse(160, 300, 110, 90, 0, 0, Math.PI * 2);
    g.fill();
    return canvas.toDataURL('image/png');
  });
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

run(DEFAULTS, async (config, launch) => {
  const browser = await launch();
  const shots = screens(config.outputDir);
  const result = { screenshots: shots.paths };
  const base = config.baseUrl;

  // ---- The people: the admin first (the server's first account is its admin), then A, B (desktop), C, D (phone). ----
  const admin = await openPage(browser, 'p-admin', DESKTOP);
  const a = await openPage(browser, 'p-ann', DESKTOP);
  const b = await openPage(browser, 'p-bea', DESKTOP);
  const c = await openPage(browser, 'p-cal', PHONE);
  const d = await openPage(browser, 'p-dan', PHONE);
  for (const page of [a, b, c, d, admin]) await watchToasts(page);
  await watchEntering(b);
  await grantClipboard(b, base);
  const names = {};
  names.admin = await signUp(admin, base, 'Ada Admin');
  names.a = await signUp(a, base, 'Ann Archer');
  names.b = await signUp(b, base, 'Bea Bright');
  names.c = await signUp(c, base, 'Cal Cole');
  names.d = await signUp(d, base, 'Dan Dune');
  result.people = names;

  // B gives herself a picture and a bio in the settings (the preview shows before saving).
  await b.goto(`${base}/settings`);
  await b.waitForSelector('#profile-settings #save-profile');
  await b.setInputFiles('#avatar-file', { name: 'bea.png', mimeType: 'image/png', buffer: await drawnPng(b) });
  await b.waitForSelector('#avatar-preview[data-preview="new"]');
  await b.fill('#profile-bio-input', 'Sunday jams, synths and late-night talks. Come say hi.');
  await shots.take(b, 'settings-avatar-preview');
  await b.click('#save-profile');
  await b.waitForSelector('#profile-saved', { timeout: 10_000 });
  await b.waitForSelector('#avatar-preview[data-preview="current"] img.avatar');

  // ---- A follows B from B's profile. ----
  await a.goto(`${base}/u/${names.b}`);
  await a.waitForSelector('#profile #follow');
  await shots.take(a, 'profile-before-follow');
  await a.click('#follow');
  await a.waitForSelector('#follow[aria-pressed="true"]');
  const followersShown = Number(await a.getAttribute('#followers-count', 'data-count'));
  await a.reload(); // what the server keeps, not only what the button shows
  await a.waitForSelector('#profile #follow');
  result.follow = {
    button: (await a.textContent('#follow')).trim(), followersShown, followersAfterReload: Number(await a.getAttribute('#followers-count', 'data-count')),
    avatar: await a.evaluate(() => document.querySelector('#profile img.avatar')?.getAttribute('src') ?? null),
  };
  await shots.take(a, 'profile-following');
  if (result.follow.followersAfterReload !== 1) throw failure('the follow did not stay', result);

  // ---- A waits on the home page; B opens a space; A's page shows it within 2 s; one click takes A in. ----
  await a.goto(`${base}/`);
  await awaitStream(a, 'A');
  await b.goto(`${base}/`);
  await b.click('#new-room');
  await b.click('#create-form input[name="kind"][value="space"]', { force: true });
  await b.fill('#title', 'Synth talk');
  const spaceCreatedAt = Date.now();
  await b.click('#create');
  await b.waitForSelector('#share-link');
  const spaceLink = await b.inputValue('#share-link');
  const spaceId = new URL(spaceLink).pathname.split('/')[2];
  await b.click('#open-room');
  await b.waitForSelector('#join:not([disabled])', { timeout: 20_000 });
  const spaceJoinAt = Date.now();
  await b.click('#join');
  await awaitInRoom(b, 'B, the host of the space');
  const opened = await awaitToast(a, 'space_opened', spaceId, 15_000);
  // The space is open once its host is in it: from the moment B's page shows her in her space.
  const openAt = await b.evaluate(() => window.__inRoomAt ?? null);
  result.spaceOpened = {
    createdAt: spaceCreatedAt, joinClickedAt: spaceJoinAt, openAt, toast: opened,
    delayMs: opened && openAt ? opened.at - openAt : null, fromJoinClickMs: opened ? opened.at - spaceJoinAt : null,
  };
  if (!opened) throw failure('A was not told that B opened a space', { ...result, aToasts: await toastsOn(a) });
  // The pointer rests on the toast (it stays while it does) for the picture; then the one click.
  await a.hover(`#toasts .toast[data-notification-id="${opened.id}"]`);
  await shots.takeOne(a, 'home-space-opened-toast');
  const bell = await a.evaluate(() => Number(document.querySelector('#unread-count')?.dataset.count ?? 0));
  await a.click(`#toasts .toast[data-notification-id="${opened.id}"] .notification`);
  await a.waitForURL((url) => url.pathname === `/r/${spaceId}`, { waitUntil: 'load' });
  const aIn = await awaitInRoom(a, 'A, from the notification');
  result.spaceOpened.bellBeforeClick = bell;
  result.spaceOpened.a = { role: aIn.role, url: a.url(), room: spaceId };
  await shots.take(a, 'in-the-space-from-the-notification');

  // C has Salotto open on the home page (a phone) when B schedules.
  await c.goto(`${base}/`);
  await awaitStream(c, 'C');

  // ---- B schedules a live with invitee C, a little more than the lead time away. ----
  const planner = await b.context().newPage(); // B stays in her space on the first tab
  await planner.goto(`${base}/`);
  await planner.waitForSelector('#new-room');
  await planner.click('#new-room');
  await planner.click('#create-form input[name="kind"][value="live"]', { force: true });
  await planner.fill('#title', 'Sunday jam');
  const start = await startField(planner, config.leadMs + 40_000);
  await planner.fill('#start', start.value);
  await planner.waitForSelector('#invitee-input');
  await planner.fill('#invitee-input', names.c);
  await planner.press('#invitee-input', 'Enter');
  await planner.waitForSelector(`.chip[data-username="${names.c}"]`);
  await shots.take(planner, 'schedule-live-with-invitee');
  const scheduledAt = Date.now();
  await planner.click('#create');
  await planner.waitForSelector('#share-link');
  const liveLink = await planner.inputValue('#share-link');
  const liveId = new URL(liveLink).pathname.split('/')[2];
  result.scheduled = { liveId, start: new Date(start.epochMs).toISOString(), scheduledAt, leadMs: config.leadMs,
    reminderDue: new Date(start.epochMs - config.leadMs).toISOString() };
  await shots.take(planner, 'scheduled-share');

  // ---- C gets the invitation (C's phone is on the home page). ----
  const invited = await awaitToast(c, 'room_scheduled', liveId, 15_000);
  result.invitation = { toast: invited };
  if (!invited) throw failure('C was not told of the invitation', { ...result, cToasts: await toastsOn(c) });
  await shots.take(c, 'invitation-toast');
  result.invitation.inbox = (await inbox(c)).filter((n) => n.roomId === liveId);
  await shots.take(c, 'invitation-inbox');
  await closeInbox(c);
  await c.waitForSelector(`#upcoming-rooms [data-room-id="${liveId}"]`, { timeout: 20_000 });
  result.invitation.onHome = (await c.textContent(`#upcoming-rooms [data-room-id="${liveId}"]`)).trim();

  // ---- D asks to be reminded from B's profile. ----
  await d.goto(`${base}/u/${names.b}`);
  await d.waitForSelector(`#profile-upcoming [data-room-id="${liveId}"] button.remind`);
  await d.click(`#profile-upcoming [data-room-id="${liveId}"] button.remind`);
  await d.waitForSelector(`#profile-upcoming [data-room-id="${liveId}"] button.remind[aria-pressed="true"]`);
  await d.reload();
  await d.waitForSelector(`#profile-upcoming [data-room-id="${liveId}"] button.remind`);
  result.remindMe = { keptAfterReload: await d.isVisible(`#profile-upcoming [data-room-id="${liveId}"] button.remind[aria-pressed="true"]`) };
  await shots.take(d, 'profile-remind-me');
  await d.goto(`${base}/`);
  await awaitStream(d, 'D');

  // ---- The server restarts between the scheduling and the reminder. ----
  const leftBeforeReminder = start.epochMs - config.leadMs - Date.now();
  if (leftBeforeReminder < RESTART_ROOM_MS) {
    throw failure(`only ${leftBeforeReminder} ms before the reminder: no room for the restart`, result);
  }
  emit({ event: 'restart' });
  const restarted = await waitForLine('restarted', 60_000);
  if (restarted !== 'stdin') throw failure('the server did not come back', result);
  result.restart = { at: new Date().toISOString(), msBeforeReminder: start.epochMs - config.leadMs - Date.now() };
  for (const [who, page] of [['C', c], ['D', d], ['A', a]]) {
    await page.goto(`${base}/`); // a person reopens the page; an open one would reconnect by itself as well
    await awaitStream(page, who);
  }

  // ---- The reminder at the lead time, then at the start, once each, for C and D. ----
  const reminderDue = start.epochMs - config.leadMs;
  const remindersArrived = {};
  for (const [who, page] of [['c', c], ['d', d]]) {
    const reminder = await awaitToast(page, 'reminder', liveId, reminderDue - Date.now() + config.lateMs + 30_000);
    remindersArrived[who] = { reminder: reminder ? { ...reminder, msAfterDue: reminder.at - reminderDue } : null };
  }
  await shots.take(c, 'reminder-toast');
  for (const [who, page] of [['c', c], ['d', d]]) {
    const starting = await awaitToast(page, 'room_starting', liveId, start.epochMs - Date.now() + config.lateMs + 30_000);
    remindersArrived[who].starting = starting ? { ...starting, msAfterDue: starting.at - start.epochMs } : null;
  }
  await shots.take(d, 'starting-toast');
  // A second copy of the reminder or of 'starting' would come before any notification written after them: the
  // notifier fans jobs out one at a time in the order they fall due, and a page's stream delivers in order. So B
  // schedules a private space a week away, inviting C and D: once its invitation (due now) shows on their pages,
  // every copy there was to show is shown.
  const later = await planner.evaluate(async ({ invitees, at }) => {
    const r = await fetch('/api/rooms', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Salotto-Request': '1' },
      body: JSON.stringify({ kind: 'space', title: 'Next week', visibility: 'private', scheduledStart: at, invitees }),
    });
    return { status: r.status, id: r.status === 201 ? (await r.json()).id : null };
  }, { invitees: [names.c, names.d], at: new Date(Date.now() + 7 * 86_400_000).toISOString() });
  if (later.status !== 201) throw failure(`the later space was not scheduled: ${later.status}`, result);
  for (const [who, page] of [['C', c], ['D', d]]) {
    const shown = await page.waitForFunction((roomId) => (window.__toasts ?? []).some((t) => t.roomId === roomId),
      later.id, { timeout: config.settleMs }).then(() => true, () => false);
    if (!shown) throw failure(`${who}'s page did not show the invitation written after the reminders`, result);
  }
  for (const [who, page] of [['c', c], ['d', d]]) {
    const toasts = (await toastsOn(page)).filter((t) => t.roomId === liveId);
    const listed = (await inbox(page)).filter((n) => n.roomId === liveId);
    remindersArrived[who].toasts = { reminder: toasts.filter((t) => t.type === 'reminder').length,
      starting: toasts.filter((t) => t.type === 'room_starting').length };
    remindersArrived[who].inbox = { reminder: listed.filter((n) => n.type === 'reminder').length,
      starting: listed.filter((n) => n.type === 'room_starting').length, all: listed.map((n) => n.type) };
    if (who === 'd') await shots.take(page, 'inbox-after-reminders');
    await closeInbox(page);
  }
  result.reminders = remindersArrived;

  // ---- B goes live; A comes in from the bell and reports B from the people list. ----
  await planner.goto(liveLink);
  await planner.waitForSelector('#preview', { timeout: 20_000 });
  await planner.click('#join:has-text("Go live")');
  await awaitInRoom(planner, 'B, the host of the live');
  const wentLive = await awaitToast(a, 'went_live', liveId, 15_000)
    ?? await awaitToast(a, 'room_starting', liveId, 1); // A follows B: told when she goes live
  if (!wentLive) throw failure('A was not told that B went live', { ...result, aToasts: await toastsOn(a) });
  await a.click('#bell');
  await a.waitForSelector(`#inbox .notification[data-room-id="${liveId}"]`);
  await shots.take(a, 'inbox-went-live');
  await a.click(`#inbox .notification[data-room-id="${liveId}"][data-type="${wentLive.type}"]`);
  await a.waitForURL((url) => url.pathname === `/r/${liveId}`, { waitUntil: 'load' });
  const aInLive = await awaitInRoom(a, 'A, in the live');
  if (!await a.isVisible('#people')) await a.click('#toggle-people');
  const bRow = a.locator('#people-list li[data-role="host"]');
  await bRow.locator('button.report').click();
  await a.waitForSelector('#report-dialog');
  await a.click('#report-dialog .chip-choice:has-text("Harassment")');
  await a.fill('#report-reason', 'Insulted a viewer on stage');
  await shots.take(a, 'report-dialog');
  await a.click('#send-report');
  await a.waitForSelector('#people-note', { timeout: 10_000 });
  result.report = { aRole: aInLive.role, thanks: (await a.textContent('#people-note')).trim() };
  await shots.take(a, 'reported');

  // ---- The admin page shows it; the admin ends the room; the people in it are told. ----
  await admin.goto(`${base}/admin`);
  await admin.waitForSelector('#reports .report-card', { timeout: 10_000 });
  const card = admin.locator(`#reports .report-card[data-kind="participant"]`, { hasText: 'Insulted a viewer' }).first();
  result.admin = {
    report: (await card.textContent()).replace(/\s+/g, ' ').trim(),
    names: (await card.textContent()).includes('Bea Bright'),
    // Who is reported, by username too, with a link to their profile; the suspend button names them.
    username: (await card.locator('.report-target').textContent()).includes(`@${names.b}`)
      && (await card.locator('.report-target').getAttribute('href')) === `/u/${names.b}`,
  };
  await shots.take(admin, 'admin-reports');
  await card.locator('button.end-room').click();
  await admin.waitForSelector('#admin-confirm');
  await shots.take(admin, 'admin-confirm-end');
  await admin.click('#admin-confirm-yes');
  await admin.waitForSelector('#admin-done', { timeout: 10_000 });
  const ended = {};
  for (const [who, page] of [['a', a], ['b', planner]]) {
    ended[who] = await poll(() => page.evaluate(() => (window.salotto?.over ? {
      code: window.salotto.over.code, title: document.querySelector('#notice-title')?.textContent ?? '',
      text: document.querySelector('#notice-text')?.textContent ?? '',
    } : null)), { timeoutMs: 10_000 });
  }
  result.admin.ended = ended;
  result.admin.done = (await admin.textContent('#admin-done')).trim();
  await shots.take(admin, 'admin-ended');
  await shots.take(a, 'room-ended-by-admin');
  await shots.take(b, 'host-home-after');
  return result;
});
