// A space run by its host, all through the page: the host (an account) opens a space; two guests join by its link
// as listeners; one raises a hand; the host makes them a speaker; the other listener hears them; the host moves them
// back to the audience, and their audio must stop within 2 s for the other listener.
//
// The demoted page is told to keep sending (keepPublishingWhenDemoted), as a client that ignores its demotion would:
// the audio must stop because the server stops forwarding it, not because the speaker's page behaves.
//
// Config: { baseUrl, outputDir, timeoutMs = 30000 }
// Result: { ok, room, speaker, heard: {...}, stoppedMs, droppedNotAllowed: {before, after}, speakerKeptSending }

import { failure, log, openPage, poll, run, screenshot, sleep } from './lib.mjs';

const DEFAULTS = { outputDir: 'target/browser', timeoutMs: 30_000 };

async function notAllowedDrops(baseUrl) {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('salotto_media_dropped_total{reason="rtp_not_allowed"}'));
  return Number(line?.split(' ')[1] ?? 0);
}

run(DEFAULTS, async (config, launch) => {
  const browser = await launch();
  const [host, speaker, listener] = await Promise.all(
    ['space-host', 'space-speaker', 'space-listener'].map((label) => openPage(browser, label)));
  const shots = [];

  // The host signs up in their browser (the session cookie stays in its context) and creates a space.
  await host.goto(`${config.baseUrl}/health`);
  const room = await host.evaluate(async () => {
    const post = (path, body) => fetch(path, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const signUp = await post('/api/accounts', { username: `host${Date.now()}`, password: 'a space host password' });
    if (signUp.status !== 201) throw new Error(`sign up: ${JSON.stringify(signUp)}`);
    const created = await post('/api/rooms', { kind: 'space', title: 'Evening space', activity: 'just_chatting' });
    if (created.status !== 201) throw new Error(`create: ${JSON.stringify(created)}`);
    return created.body.id;
  });
  log('space', room);

  const joinAs = async (page, name) => {
    await page.goto(`${config.baseUrl}/r/${room}?name=${encodeURIComponent(name)}`);
    await page.click('#join');
    const ready = await poll(() => page.evaluate(() => window.salotto.ready), { timeoutMs: config.timeoutMs });
    if (!ready) throw failure(`${name} did not get into the space`, { errors: await page.evaluate(() => window.salotto.errors()) });
    return page.evaluate(() => ({ id: window.salotto.participantId, role: window.salotto.role }));
  };
  const hostMe = await joinAs(host, 'Host');
  const speakerMe = await joinAs(speaker, 'Guest One');
  const listenerMe = await joinAs(listener, 'Guest Two');
  if (hostMe.role !== 'host' || speakerMe.role !== 'listener' || listenerMe.role !== 'listener') {
    throw failure('wrong roles on entry', { hostMe, speakerMe, listenerMe });
  }

  // Guest One raises a hand; the host sees it and makes them a speaker with the button in the people list.
  await speaker.click('#raise-hand');
  const raised = await poll(() => host.evaluate(
    (id) => window.salotto.members().find((m) => m.participantId === id)?.handRaised, speakerMe.id), { timeoutMs: 5000 });
  if (!raised) throw failure('the host never saw the raised hand');
  shots.push(await screenshot(host, config.outputDir, 'space-1-hand-raised-host'));
  await host.click(`#people-list li[data-participant-id="${speakerMe.id}"] button.promote`);
  const promoted = await poll(() => speaker.evaluate(() => window.salotto.role === 'speaker' && window.salotto.publishing),
    { timeoutMs: 10_000 });
  if (!promoted) throw failure('Guest One did not become a speaker', { errors: await speaker.evaluate(() => window.salotto.errors()) });

  // Guest Two hears Guest One: samples growing and some level.
  const audioOf = () => listener.evaluate(async (id) => (await window.salotto.stats())[id]?.audio ?? null, speakerMe.id);
  let first = null;
  const heard = await poll(async () => {
    const a = await audioOf();
    if (!a) return null;
    first ??= a;
    return a.totalSamplesReceived > first.totalSamplesReceived + 48_000 && a.audioLevel > 0 ? a : null;
  }, { timeoutMs: config.timeoutMs });
  if (!heard) throw failure('Guest Two never heard Guest One', { last: await audioOf() });
  shots.push(await screenshot(listener, config.outputDir, 'space-2-speaker-heard'));

  // The host moves Guest One back. Guest One's page keeps sending anyway; the server must stop forwarding.
  await speaker.evaluate(() => window.salotto.keepPublishingWhenDemoted(true));
  const dropsBefore = await notAllowedDrops(config.baseUrl);
  const sentBefore = (await speaker.evaluate(() => window.salotto.publisherStats())).audio?.packetsSent ?? 0;
  const demotedAt = Date.now();
  await host.click(`#people-list li[data-participant-id="${speakerMe.id}"] button.demote`);
  // Stopped: the listener's receiver for Guest One's audio has ended, or gets no more packets.
  let lastPackets = heard.packetsReceived;
  let lastChange = Date.now();
  const stopped = await poll(async () => {
    const ended = await listener.evaluate((id) => window.salotto.endedTracks().some((e) => e.participantId === id && e.kind === 'audio'), speakerMe.id);
    if (ended) return 'track ended';
    const a = await audioOf();
    if (a && a.packetsReceived !== lastPackets) {
      lastPackets = a.packetsReceived;
      lastChange = Date.now();
    }
    return Date.now() - lastChange > 1000 ? 'no packets for 1 s' : null;
  }, { timeoutMs: 5000, intervalMs: 50 });
  const stoppedMs = Date.now() - demotedAt;
  await sleep(1000);
  const sentAfter = (await speaker.evaluate(() => window.salotto.publisherStats())).audio?.packetsSent ?? 0;
  const dropsAfter = await notAllowedDrops(config.baseUrl);
  const packetsAfterStop = (await audioOf())?.packetsReceived ?? lastPackets;
  shots.push(await screenshot(host, config.outputDir, 'space-3-moved-back-host'));
  return {
    ok: true,
    room,
    speaker: speakerMe.id,
    heard,
    stoppedHow: stopped,
    stoppedMs,
    speakerRole: await speaker.evaluate(() => window.salotto.role),
    speakerKeptSending: sentAfter - sentBefore,
    droppedNotAllowed: { before: dropsBefore, after: dropsAfter },
    packetsAfterStop,
    screenshots: shots,
  };
});
