// Resume (issue 10, "Must show"): a page whose WebSocket is cut from the network side comes back as the same
// participant and decodes again within `backWithinMs`, and the others never see it leave.
//
// The host signs up and creates a live on the server's own address, then goes live through the test's TCP proxy
// (CuttableProxy), as do two viewers (a desktop page and a 390x844 phone): the cut takes the host's socket too, whose
// publisher connection must then restart ICE for the viewers to keep decoding. Once both decode the host the script prints {"event":"ready"} and
// waits for a line `cut <epoch ms>` on stdin: the test has reset every connection of the proxy at that time (and
// refuses new ones for a moment). The script screenshots the "Reconnecting…" state, then waits for each viewer to be
// back: phase "in", link "connected", the same participant id, and frames decoded again. Then the desktop viewer goes
// offline (Playwright's setOffline) for `offlineMs` and back online, and must be back the same way.
//
// Config: { baseUrl, proxyUrl, outputDir, backWithinMs = 5000, offlineMs = 5000, timeoutMs = 45000 }
// Result: { ok, host, hostBack: {phase, id, sameId, link, resumes, rejoins, publishing}, viewers: {desk, phone} (each
//           { id, back: {ms, id, link, resumes, rejoins, frames}, reconnectingSeen }), offline: {...},
//           hostSawLeaving: [...], screenshots }

import { awaitInRoom, awaitVideo, createRoom, grantClipboard, joinByLink, signUp, stepShots, videoOf } from './app.mjs';
import { PHONE, failure, log, openPage, poll, run, sleep } from './lib.mjs';

const DEFAULTS = { outputDir: 'target/screenshots/resume', backWithinMs: 5000, offlineMs: 5000, timeoutMs: 45_000 };

/** The next line on stdin, or null after `timeoutMs`. */
function nextLine(timeoutMs) {
  return new Promise((resolve) => {
    let buffered = '';
    const finish = (line) => {
      clearTimeout(timer);
      process.stdin.off('data', onData);
      process.stdin.pause();
      resolve(line);
    };
    const onData = (chunk) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end >= 0) finish(buffered.slice(0, end).trim());
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', onData);
    process.stdin.resume();
  });
}

function standing(page) {
  return page.evaluate(() => ({
    phase: window.salotto.phase, id: window.salotto.participantId, link: window.salotto.link,
    resumes: window.salotto.resumes, rejoins: window.salotto.rejoins,
    notice: document.querySelector('#notice')?.dataset.code ?? null,
    reconnectingShown: Boolean(document.querySelector('#reconnecting')),
  }));
}

/**
 * Waits until `page` is back in the room (phase "in", link "connected") and decodes `hostId` again: 5 frames more than
 * at its first look once back, on the same receiver. Returns how long that took from `since`, or throws with what the
 * page shows.
 */
async function awaitBack(page, id, hostId, since, withinMs, who) {
  let base = null;
  const back = await poll(async () => {
    const s = await standing(page);
    if (s.phase !== 'in' || s.link !== 'connected') return null;
    const video = await videoOf(page, hostId);
    if (!video) return null;
    if (!base || base.trackId !== video.trackId) base = video;
    return video.framesDecoded >= base.framesDecoded + 5 ? { ...s, frames: video.framesDecoded } : null;
  }, { timeoutMs: withinMs + 10_000, intervalMs: 100 });
  if (!back) throw failure(`${who} never came back`, { now: await standing(page), errors: await page.evaluate(() => window.salotto.errors()) });
  return { ...back, ms: Date.now() - since, sameId: back.id === id };
}

run(DEFAULTS, async (config, launch) => {
  const browser = await launch();
  const shots = stepShots(config.outputDir);
  const host = await openPage(browser, 'resume-host');
  await grantClipboard(host, config.baseUrl);
  await signUp(host, config.baseUrl, 'Rita Resume');
  const link = await createRoom(host, { kind: 'live', title: 'Through the tunnel' });
  // Everyone comes through the proxy: the same room link on the proxy's address (the session cookie goes along:
  // cookies do not depend on the port).
  const proxied = `${config.proxyUrl}${new URL(link).pathname}`;
  await host.goto(proxied);
  await host.waitForSelector('#join:not([disabled])');
  await host.click('#join');
  const hostMe = await awaitInRoom(host, 'the host');
  if (hostMe.role !== 'host') throw failure('through the proxy, the creator is not the host', { hostMe });
  const viewers = {
    desk: { page: await openPage(browser, 'resume-desk'), name: 'Dee Desk' },
    phone: { page: await openPage(browser, 'resume-phone', PHONE), name: 'Pia Phone' },
  };
  for (const v of Object.values(viewers)) {
    await joinByLink(v.page, proxied, v.name);
    v.me = await awaitInRoom(v.page, v.name);
    if (!await awaitVideo(v.page, hostMe.id, { minFrames: 10, timeoutMs: config.timeoutMs })) {
      throw failure(`${v.name} never saw the host`, { stats: await v.page.evaluate(() => window.salotto.stats()),
        tiles: await v.page.evaluate(() => window.salotto.remoteParticipants()), errors: await v.page.evaluate(() => window.salotto.errors()) });
    }
  }
  process.stdout.write(`${JSON.stringify({ event: 'ready', host: hostMe.id, desk: viewers.desk.me.id, phone: viewers.phone.me.id })}\n`);

  const line = await nextLine(60_000);
  const cutAt = Number(line?.split(' ')[1]);
  if (!line?.startsWith('cut ') || !cutAt) throw failure(`expected "cut <ms>" on stdin, got ${line}`);
  log('cut at', cutAt);
  const result = { host: hostMe.id, viewers: {} };
  // What a person sees meanwhile: the room, dimmed, with "Reconnecting…".
  await Promise.all(Object.entries(viewers).map(async ([label, v]) => {
    v.reconnectingSeen = Boolean(await poll(() => v.page.isVisible('#reconnecting'), { timeoutMs: 1500, intervalMs: 20 }));
    if (v.reconnectingSeen) await shots.take(v.page, `${label}-reconnecting`);
  }));
  for (const [label, v] of Object.entries(viewers)) {
    const back = await awaitBack(v.page, v.me.id, hostMe.id, cutAt, config.backWithinMs, v.name);
    result.viewers[label] = { id: v.me.id, reconnectingSeen: v.reconnectingSeen, back };
    await shots.take(v.page, `${label}-back`);
  }
  const hostBack = await standing(host);
  result.hostBack = { ...hostBack, sameId: hostBack.id === hostMe.id, publishing: await host.evaluate(() => window.salotto.publishing) };

  // Offline for a while, then online again: back the same way.
  const desk = viewers.desk;
  await desk.page.context().setOffline(true);
  const offlineAt = Date.now();
  // The outage's length is the point (offline for offlineMs); the snapshot 1 s in is reported, not asserted.
  await sleep(Math.min(1000, config.offlineMs));
  const whileOffline = await standing(desk.page);
  await shots.take(desk.page, 'desk-offline');
  await sleep(Math.max(0, config.offlineMs - (Date.now() - offlineAt)));
  await desk.page.context().setOffline(false);
  const onlineAt = Date.now();
  const backOnline = await awaitBack(desk.page, desk.me.id, hostMe.id, onlineAt, config.backWithinMs, 'the offline viewer');
  await shots.take(desk.page, 'desk-back-online');
  result.offline = { offlineMs: onlineAt - offlineAt, whileOffline, back: backOnline };

  // The host never saw either viewer leave.
  const departures = await host.evaluate(() => window.salotto.departures());
  result.hostSawLeaving = departures.filter((d) => d.participantId === desk.me.id || d.participantId === viewers.phone.me.id);
  result.hostMembers = await host.evaluate(() => window.salotto.members().map((m) => m.participantId));
  result.screenshots = shots.paths;
  return result;
});
