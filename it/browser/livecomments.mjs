// The live of issue 12, all through the web app: a host and two guests on stage, two viewers and a moderator the host
// picks among the viewers. Viewers comment and everyone sees each comment within a second; hearts float over the
// stage; the moderator pins a comment; a viewer reports one; the host hides one and it goes for everyone; the host
// turns one viewer's comments off: he is told, and his next comment is refused; the moderator removes that viewer;
// the host turns comments off for everyone and on again, and reads the moderation review; a viewer buys a three-heart
// badge for the second guest, who sees it arrive, the badge shows next to the buyer's later comments, the guest's
// earnings show it and the host's supporters name the buyer; a viewer who comes late sees the last comments with
// their badges and the pinned one; the buyer's next payment is declined and she is told; the answer to the one after
// is lost on its way, and "Try again" sends it with the same Idempotency-Key: the server answers it again and makes no
// second purchase. Then a backstage: a viewer who opens the link of a live in practice waits, and is let in when the
// host goes live.
//
// Desktop pages are 1280x800, phone pages 390x844 (lib.mjs PHONE); each step is saved from both.
//
// Config: { baseUrl, outputDir, timeoutMs = 45000, minFrames = 10, withinMs = 1000 }
// Result: { ok, ids, stage, comments: {delays, maxDelayMs}, moderation, hidden, commentsOff, removed, badge, lateJoiner,
//           payments, backstage, screenshots }

import { awaitInRoom, awaitVideo, clickPersonAction, createRoom, grantClipboard, joinByLink, signUp, stepShots } from './app.mjs';
import { PHONE, failure, log, openPage, poll, run } from './lib.mjs';

const DEFAULTS = { outputDir: 'target/screenshots/live-comments', timeoutMs: 45_000, minFrames: 10, withinMs: 1000 };
const DESKTOP = Object.freeze({ viewport: { width: 1280, height: 800 } });

/**
 * Makes the page note when each comment first shows on it (window.__seen[text] = Date.now()), and when its own
 * comment form is submitted, the moment the person presses Send (window.__sent[text]).
 */
function watchComments(page) {
  return page.evaluate(() => {
    window.__seen = {};
    window.__sent = {};
    document.addEventListener('submit', (event) => {
      const input = event.target.querySelector?.('#comment-input');
      if (event.target.id === 'comment-form' && input) window.__sent[input.value.trim()] = Date.now();
    }, true);
    const note = () => {
      for (const element of document.querySelectorAll('#comments .comment[data-comment-id] .comment-text')) {
        const text = element.textContent;
        if (!(text in window.__seen)) window.__seen[text] = Date.now();
      }
    };
    note();
    new MutationObserver(note).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

/** The comments a page shows: [{id, name, text, hearts}], oldest first. */
function commentsOn(page) {
  return page.evaluate(() => [...document.querySelectorAll('#comments .comment[data-comment-id]')].map((li) => ({
    id: li.dataset.commentId,
    name: li.querySelector('.comment-name')?.firstChild?.textContent ?? '',
    text: li.querySelector('.comment-text')?.textContent ?? '',
    hearts: Number(li.querySelector('.comment-name .hearts')?.dataset.hearts ?? 0),
  })));
}

async function sendComment(page, text) {
  await page.fill('#comment-input', text);
  const at = Date.now();
  await page.click('#send-comment');
  return at;
}

/** Opens a comment's menu on `page` (by the comment's ... button) and clicks one of its actions (pin, hide, mute, remove-viewer, report). */
async function commentAction(page, text, action) {
  const row = page.locator('#comments .comment[data-comment-id]', { has: page.locator('.comment-text', { hasText: text }) }).first();
  const id = await row.getAttribute('data-comment-id');
  await row.locator('button.more').click();
  await page.click(`.comment-menu[data-comment-id="${id}"] button.${action}`);
}

run(DEFAULTS, async (config, launch) => {
  const browser = await launch();
  const shots = stepShots(config.outputDir);
  const frames = { minFrames: config.minFrames, timeoutMs: config.timeoutMs };
  const result = {};

  // ---- The stage: Lia hosts; Gus (desktop) and Gia (phone) come by the link and are invited on stage. ----
  log('step:', 'The stage: Lia hosts; Gus (desktop) and Gia (phone) come by the link and are invited on stage.');
  const host = await openPage(browser, 'lc-host', DESKTOP);
  await grantClipboard(host, config.baseUrl);
  await signUp(host, config.baseUrl, 'Lia Live');
  const link = await createRoom(host, { kind: 'live', title: 'Late night jam', activity: 'dance_party' });
  await host.click('#open-room');
  await host.waitForSelector('#preview');
  await host.click('#join:has-text("Go live")');
  const hostMe = await awaitInRoom(host, 'the host');

  const gus = await openPage(browser, 'lc-gus', DESKTOP);
  const gia = await openPage(browser, 'lc-gia', PHONE);
  const vera = await openPage(browser, 'lc-vera', PHONE);
  const walt = await openPage(browser, 'lc-walt', DESKTOP);
  const mo = await openPage(browser, 'lc-mo', DESKTOP);
  const ids = { host: hostMe.id };
  for (const [name, page] of [['Gus', gus], ['Gia', gia], ['Vera', vera], ['Walt', walt], ['Mo', mo]]) {
    await joinByLink(page, link, name);
    ids[name.toLowerCase()] = (await awaitInRoom(page, name)).id;
  }
  result.ids = ids;
  for (const [name, page] of [['Gus', gus], ['Gia', gia]]) {
    await clickPersonAction(host, ids[name.toLowerCase()], 'promote');
    await page.waitForSelector('#invitation', { timeout: 10_000 });
    await page.click('#accept-invitation');
    const on = await poll(() => page.evaluate(() => window.salotto.role === 'guest' && window.salotto.publishing), { timeoutMs: 15_000 });
    if (!on) throw failure(`${name} did not go on stage`, { errors: await page.evaluate(() => window.salotto.errors()) });
  }
  // The host picks Mo as the moderator from the people list.
  await clickPersonAction(host, ids.mo, 'make-moderator');
  const moderator = await poll(() => mo.evaluate(() => window.salotto.role === 'moderator'), { timeoutMs: 10_000 });
  if (!moderator) throw failure('Mo did not become the moderator', {});
  await host.click('#toggle-people'); // closes the panel: the stage and the comments fill the screen
  const seeing = {
    veraFromGia: await awaitVideo(vera, ids.gia, frames),
    veraFromHost: await awaitVideo(vera, ids.host, frames),
    waltFromGus: await awaitVideo(walt, ids.gus, frames),
  };
  const veraTiles = await vera.locator('#tiles .tile').count();
  result.stage = { veraTiles, seeing: Object.fromEntries(Object.entries(seeing).map(([k, v]) => [k, v?.framesDecoded ?? 0])) };
  if (veraTiles !== 3) throw failure('Vera does not see three on stage', result);
  await shots.take(host, 'desktop-host-stage-of-three');
  await shots.take(vera, 'phone-viewer-stage-of-three');

  // ---- Viewers comment; every page sees each comment within a second. ----
  log('step:', 'Viewers comment; every page sees each comment within a second.');
  const everyone = { host, gus, gia, vera, walt, mo };
  for (const page of Object.values(everyone)) await watchComments(page);
  const sent = [];
  const pages = { vera, walt };
  for (const [who, page, text] of [
    ['vera', vera, 'Hello from Vera!'], ['walt', walt, 'Walt here, great sound'], ['vera', vera, 'This one gets hidden'],
    ['walt', walt, 'Play the one about the sea'],
  ]) {
    sent.push({ who, text, at: await sendComment(page, text) });
    await poll(() => page.evaluate((t) => t in window.__seen, text), { timeoutMs: 5000, intervalMs: 50 });
  }
  const delays = {};
  for (const entry of sent) {
    const { text } = entry;
    // From the moment the writer's page sent it (the submit event), not from when the script asked for the click.
    const at = await pages[entry.who].evaluate((t) => window.__sent[t] ?? null, text) ?? entry.at;
    delays[text] = {};
    for (const [name, page] of Object.entries(everyone)) {
      const seen = await poll(() => page.evaluate((t) => window.__seen[t] ?? null, text), { timeoutMs: 5000, intervalMs: 100 });
      delays[text][name] = seen === null ? null : seen - at;
    }
  }
  const all = Object.values(delays).flatMap((d) => Object.values(d));
  result.comments = { delays, maxDelayMs: all.includes(null) ? null : Math.max(...all) };
  if (all.includes(null)) throw failure('a comment did not reach every page', result);
  await shots.take(walt, 'desktop-viewer-comments');
  await shots.take(vera, 'phone-viewer-comments');
  await shots.take(gia, 'phone-guest-comments');

  // A viewer's badge sheet on a desktop, with the server's prices (nothing bought: closed again).
  await walt.click('#open-badges');
  await walt.waitForSelector('#badge-sheet .badge-option[data-hearts="3"] .badge-price:not(:has-text("…"))', { timeout: 10_000 });
  await walt.click(`#badge-sheet .badge-target[data-participant-id="${ids.gia}"]`);
  await shots.take(walt, 'desktop-viewer-badge-sheet');
  await walt.click('#badge-sheet button[aria-label="Close"]');

  // ---- Hearts float over the stage; the moderator pins a comment for everyone; a viewer reports one. ----
  log('step:', 'Hearts float over the stage; the moderator pins a comment for everyone; a viewer reports one.');
  await vera.click('#send-heart');
  const heartSeen = await poll(() => host.evaluate(() => document.querySelectorAll('.floating-heart').length), { timeoutMs: 5000, intervalMs: 100 });
  await commentAction(mo, 'Hello from Vera!', 'pin');
  const pinned = {};
  for (const [name, page] of Object.entries(everyone)) {
    pinned[name] = await poll(() => page.evaluate(() => document.querySelector('#pinned .comment-text')?.textContent ?? null),
      { timeoutMs: 5000, intervalMs: 100 });
  }
  await shots.take(host, 'desktop-host-pinned-and-hearts');
  await shots.take(vera, 'phone-viewer-pinned');
  await commentAction(vera, 'Play the one about the sea', 'report');
  await vera.fill('#report-reason', 'Off topic');
  await vera.click('#send-report');
  await vera.waitForSelector('#report-thanks', { timeout: 5000 });
  result.moderation = { heartSeen: Boolean(heartSeen), pinned, reported: (await vera.textContent('#report-thanks')).trim() };

  // ---- The host hides a comment: it goes for everyone. ----
  log('step:', 'The host hides a comment: it goes for everyone.');
  await commentAction(host, 'This one gets hidden', 'hide');
  const hidden = {};
  for (const [name, page] of Object.entries(everyone)) {
    hidden[name] = Boolean(await poll(async () => !(await commentsOn(page)).some((c) => c.text === 'This one gets hidden'),
      { timeoutMs: 5000, intervalMs: 100 }));
  }
  result.hidden = hidden;
  await shots.take(host, 'desktop-host-hid-a-comment');
  await shots.take(vera, 'phone-viewer-comment-hidden');

  // ---- The host turns Walt's comments off: he is told, and his next comment is refused. ----
  log('step:', 'The host turns Walt\'s comments off: he is told, and his next comment is refused.');
  await commentAction(host, 'Walt here, great sound', 'mute');
  await walt.waitForSelector('#comment-notice', { timeout: 5000 });
  const told = (await walt.textContent('#comment-notice')).trim();
  await sendComment(walt, 'Why was I muted?');
  await walt.waitForSelector('#comment-refusal', { timeout: 5000 });
  const refusal = (await walt.textContent('#comment-refusal')).trim();
  // Comments reach everyone in order: once Vera's next one is everywhere, Walt's refused one would be there before it.
  await sendComment(vera, 'Vera again');
  const leaked = {};
  for (const [name, page] of Object.entries(everyone)) {
    await poll(async () => (await commentsOn(page)).some((c) => c.text === 'Vera again'), { timeoutMs: 5000, intervalMs: 100 });
    leaked[name] = (await commentsOn(page)).some((c) => c.text === 'Why was I muted?');
  }
  result.commentsOff = { told, refusal, leaked, waltErrors: await walt.evaluate(() => window.salotto.errors().map((e) => e.code)) };
  await shots.take(walt, 'desktop-viewer-comments-off');
  await shots.take(vera, 'phone-viewer-after-mute');

  // ---- The moderator removes Walt. ----
  log('step:', 'The moderator removes Walt.');
  await clickPersonAction(mo, ids.walt, 'remove');
  await walt.waitForSelector('#notice[data-code="removed"]', { timeout: 10_000 });
  const removedNotice = { title: (await walt.textContent('#notice-title')).trim(), text: (await walt.textContent('#notice-text')).trim() };
  const goneFromHost = await poll(() => host.evaluate((id) => !window.salotto.members().some((m) => m.participantId === id), ids.walt),
    { timeoutMs: 5000 });
  result.removed = { notice: removedNotice, goneFromHost: Boolean(goneFromHost) };
  await shots.take(mo, 'desktop-moderator-removed-walt');
  await shots.take(walt, 'desktop-walt-removed');
  await shots.take(vera, 'phone-viewer-after-removal');

  // ---- The host turns comments off for everyone, then on again; the host's review lists what was done. ----
  log('step:', 'The host turns comments off for everyone, then on again; the host\'s review lists what was done.');
  if (!await host.isVisible('#people')) await host.click('#toggle-people');
  await host.click('#toggle-comments:has-text("Turn comments off")');
  await vera.waitForSelector('#comment-notice:has-text("off for everyone")', { timeout: 5000 });
  const offForAll = (await vera.textContent('#comment-notice')).trim();
  await shots.take(vera, 'phone-viewer-comments-off-for-everyone');
  await host.click('#toggle-comments:has-text("Turn comments on")');
  const onAgain = await poll(() => vera.evaluate(() => !document.querySelector('#comment-notice')), { timeoutMs: 5000 });
  await host.click('#open-review');
  const review = await poll(() => host.evaluate(() => {
    const items = [...document.querySelectorAll('#review li')].map((li) => ({ action: li.dataset.action, text: li.textContent.trim() }));
    return items.length >= 6 ? items : null;
  }), { timeoutMs: 5000 }) ?? await host.evaluate(() => [...document.querySelectorAll('#review li')].map((li) => ({ action: li.dataset.action, text: li.textContent.trim() })));
  await shots.take(host, 'desktop-host-moderation-review');
  await host.click('#review-sheet button[aria-label="Close"]');
  await host.click('#toggle-people');
  Object.assign(result.moderation, { offForAll, onAgain: Boolean(onAgain), review });

  // ---- Vera buys a three-heart badge for Gia. ----
  log('step:', 'Vera buys a three-heart badge for Gia.');
  await vera.click('#open-badges');
  await vera.waitForSelector('#badge-sheet .badge-option[data-hearts="3"] .badge-price:not(:has-text("…"))', { timeout: 10_000 });
  await vera.click(`#badge-sheet .badge-target[data-participant-id="${ids.gia}"]`);
  await vera.click('#badge-sheet .badge-option[data-hearts="3"]');
  const price = (await vera.textContent('#badge-sheet .badge-option[data-hearts="3"] .badge-price')).trim();
  await shots.take(vera, 'phone-viewer-badge-sheet');
  const boughtAt = Date.now();
  await vera.click('#buy-badge');
  const celebration = await poll(() => gia.evaluate(() => {
    const element = document.querySelector('#celebration');
    return element ? { hearts: Number(element.dataset.hearts), text: element.textContent.trim(), at: Date.now() } : null;
  }), { timeoutMs: 10_000, intervalMs: 50 });
  await shots.take(gia, 'phone-guest-sees-badge');
  await vera.waitForSelector('#badge-result', { timeout: 10_000 });
  const bought = (await vera.textContent('#badge-result')).trim();
  await shots.take(vera, 'phone-viewer-badge-bought');
  await vera.click('#badge-done');
  await sendComment(vera, 'Go Gia!');
  const badgeShown = {};
  for (const [name, page] of Object.entries(everyone)) {
    if (name === 'walt') continue;
    badgeShown[name] = await poll(async () => (await commentsOn(page)).find((c) => c.text === 'Go Gia!')?.hearts ?? null,
      { timeoutMs: 5000, intervalMs: 100 });
  }
  await shots.take(host, 'desktop-host-badge-next-to-comment');
  await shots.take(gia, 'phone-guest-badge-next-to-comment');
  // Gia's earnings, and the host's supporters.
  const giaEarned = await poll(() => gia.evaluate(() => {
    const chip = document.querySelector('#earned');
    return chip && Number(chip.dataset.amount) > 0 ? { amount: Number(chip.dataset.amount), text: chip.textContent.trim() } : null;
  }), { timeoutMs: 5000 });
  await gia.click('#earned');
  await gia.waitForSelector('#money-sheet #my-earnings');
  const giaSheet = await gia.evaluate(() => {
    const e = document.querySelector('#my-earnings');
    return { amount: Number(e.dataset.amount), badges: Number(e.dataset.badges), text: e.textContent.trim() };
  });
  await shots.take(gia, 'phone-guest-earnings');
  await gia.click('#money-sheet button[aria-label="Close"]');
  await host.click('#earned');
  const supporters = await poll(() => host.evaluate(() => {
    const items = [...document.querySelectorAll('#supporters li')].map((li) => li.textContent.trim());
    return items.length ? items : null;
  }), { timeoutMs: 5000 });
  const hostEarnings = await host.evaluate(() => [...document.querySelectorAll('#earnings li')].map((li) => li.textContent.trim()));
  await shots.take(host, 'desktop-host-supporters');
  await host.click('#money-sheet button[aria-label="Close"]');
  result.badge = {
    price, bought, celebration: celebration && { ...celebration, ms: celebration.at - boughtAt }, shownNextToComment: badgeShown,
    giaEarned, giaSheet, supporters, hostEarnings,
  };

  // ---- A viewer who comes late sees the last comments, with their badges, and the pinned one. ----
  log('step:', 'A viewer who comes late sees the last comments, with their badges, and the pinned one.');
  const lou = await openPage(browser, 'lc-lou', PHONE);
  await joinByLink(lou, link, 'Lou');
  await awaitInRoom(lou, 'Lou');
  const louSees = await poll(async () => {
    const list = await commentsOn(lou);
    return list.some((c) => c.text === 'Go Gia!') ? list : null;
  }, { timeoutMs: 5000 }) ?? await commentsOn(lou);
  result.lateJoiner = {
    comments: louSees.map((c) => `${c.name}: ${c.text}${c.hearts ? ` (${c.hearts})` : ''}`),
    goGiaHearts: louSees.find((c) => c.text === 'Go Gia!')?.hearts ?? null,
    hidden: louSees.some((c) => c.text === 'This one gets hidden'),
    pinned: await lou.evaluate(() => document.querySelector('#pinned .comment-text')?.textContent ?? null),
  };
  await shots.take(lou, 'phone-late-viewer-sees-the-last-comments');
  await lou.close();

  // ---- A declined payment is told in words; a purchase whose answer was lost is retried with the same key. ----
  log('step:', 'A declined payment is told in words; a purchase whose answer was lost is retried with the same key.');
  // The test's server declines every 2nd charge: the 1st (Gia's badge) went through, this 2nd is declined.
  const keys = [];
  vera.on('request', (request) => {
    if (request.method() === 'POST' && /\/badges$/.test(request.url())) keys.push(request.headers()['idempotency-key'] ?? null);
  });
  const replayed = [];
  vera.on('response', async (response) => {
    if (response.request().method() === 'POST' && /\/badges$/.test(response.url())) {
      replayed.push({ status: response.status(), replayed: (await response.allHeaders())['idempotent-replayed'] ?? null });
    }
  });
  await vera.click('#open-badges');
  await vera.waitForSelector('#badge-sheet .badge-option[data-hearts="1"] .badge-price:not(:has-text("…"))', { timeout: 10_000 });
  await vera.click(`#badge-sheet .badge-target[data-participant-id="${ids.gus}"]`);
  await vera.click('#badge-sheet .badge-option[data-hearts="1"]');
  await vera.click('#buy-badge');
  await vera.waitForSelector('#badge-declined', { timeout: 10_000 });
  const declined = (await vera.textContent('#badge-declined')).trim();
  await shots.take(vera, 'phone-viewer-payment-declined');
  // She tries again (a new purchase: the 3rd charge, approved), but the answer is lost on the way back to her page.
  await vera.route(/\/badges$/, async (route) => {
    await route.fetch(); // the server gets it and answers
    await route.abort('connectionreset'); // the page does not
  }, { times: 1 });
  await vera.click('#buy-badge');
  await vera.waitForSelector('#badge-failed', { timeout: 10_000 });
  const lost = (await vera.textContent('#badge-failed')).trim();
  const retryLabel = (await vera.textContent('#buy-badge')).trim();
  await shots.take(vera, 'phone-viewer-answer-lost');
  await vera.click('#buy-badge'); // "Try again": the same key
  await vera.waitForSelector('#badge-result', { timeout: 10_000 });
  const retried = (await vera.textContent('#badge-result')).trim();
  await vera.click('#badge-done');
  await host.click('#earned');
  const supportersAfter = await poll(() => host.evaluate(() => {
    const items = [...document.querySelectorAll('#supporters li')].map((li) => li.textContent.trim());
    return items.some((t) => t.includes('2 badges')) ? items : null;
  }), { timeoutMs: 5000 }) ?? await host.evaluate(() => [...document.querySelectorAll('#supporters li')].map((li) => li.textContent.trim()));
  await shots.take(host, 'desktop-host-supporters-after-retry');
  await host.click('#money-sheet button[aria-label="Close"]');
  result.payments = { declined, lost, retryLabel, retried, keys, answers: replayed, supportersAfter };

  // ---- A backstage: Pia opens the link of a live in practice, waits, and is let in when Bea goes live. ----
  log('step:', 'A backstage: Pia opens the link of a live in practice, waits, and is let in when Bea goes live.');
  // Everyone leaves the first live: its pages would only load the machine the backstage is timed on.
  for (const page of Object.values(everyone)) await page.close();
  const bea = await openPage(browser, 'lc-bea', PHONE);
  await grantClipboard(bea, config.baseUrl);
  await signUp(bea, config.baseUrl, 'Bea Backstage');
  const practiceLink = await createRoom(bea, { kind: 'live', title: 'Soundcheck', practice: true });
  await bea.click('#open-room');
  await bea.waitForSelector('#preview');
  await bea.click('#join:has-text("Go backstage")');
  await awaitInRoom(bea, 'Bea');
  await bea.waitForSelector('#backstage #go-live');
  const pia = await openPage(browser, 'lc-pia', DESKTOP);
  await joinByLink(pia, practiceLink, 'Pia');
  const waiting = await poll(() => pia.evaluate(() => window.salotto.phase === 'waiting'
    && document.querySelector('#lobby-screen')?.textContent.trim()), { timeoutMs: 10_000 });
  if (!waiting) throw failure('Pia does not wait for the live', { ...result, pia: await pia.evaluate(() => window.salotto.over) });
  await shots.take(pia, 'desktop-viewer-waits-backstage');
  await shots.take(bea, 'phone-host-backstage');
  // "At once" is timed from the moment Bea's press reaches her page (as the comments are timed from Send), not from
  // when the test asks the browser to click: with ten pages open that request alone may take a second.
  await bea.evaluate(() => document.addEventListener('click', (event) => {
    if (event.target.closest?.('#go-live')) window.__wentLiveAt ??= Date.now();
  }, true));
  await bea.click('#go-live');
  const inAt = await poll(() => pia.evaluate(() => (window.salotto.phase === 'in' ? Date.now() : null)), { timeoutMs: 10_000, intervalMs: 50 });
  const piaMe = inAt ? await awaitInRoom(pia, 'Pia') : null;
  const beaState = await poll(() => bea.evaluate(() => (document.querySelector('#live-state')?.textContent === 'LIVE'
    && !document.querySelector('#backstage') ? document.querySelector('#viewer-count')?.textContent.trim() : null)), { timeoutMs: 5000 });
  const piaSees = piaMe ? await awaitVideo(pia, await bea.evaluate(() => window.salotto.participantId), frames) : null;
  result.backstage = {
    waiting, letInMs: inAt ? inAt - await bea.evaluate(() => window.__wentLiveAt) : null, piaRole: piaMe?.role ?? null, hostShows: beaState,
    piaFrames: piaSees?.framesDecoded ?? 0,
  };
  await shots.take(pia, 'desktop-viewer-let-in');
  await shots.take(bea, 'phone-host-live-after-backstage');
  log('result', JSON.stringify(result));
  return { link, ...result, screenshots: shots.paths };
});
