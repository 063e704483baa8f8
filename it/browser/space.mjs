// A space run by its host, all through the web app: the host signs up, creates a space and opens it; two guests
// open its link and join as listeners; one raises a hand; the host invites them to speak; the other listener hears
// them and sees their speaker ring; a reaction shows; the host moves them back to the audience, and their audio must
// stop within 2 s for the other listener.
//
// The demoted page is told to keep sending (keepPublishingWhenDemoted), as a client that ignores its demotion would:
// the audio must stop because the server stops forwarding it, not because the speaker's page behaves.
//
// Config: { baseUrl, outputDir, timeoutMs = 30000 }
// Result: { ok, room, speaker, heard: {...}, ringSeen, reactionSeen, stoppedMs, droppedNotAllowed: {before, after},
//           speakerKeptSending, screenshots }

import { awaitInRoom, clickPersonAction, createRoom, grantClipboard, joinByLink, signUp, stepShots } from './app.mjs';
import { failure, log, openPage, poll, run, sleep } from './lib.mjs';

const DEFAULTS = { outputDir: 'target/screenshots/space', timeoutMs: 30_000 };

async function notAllowedDrops(baseUrl) {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('salotto_media_dropped_total{reason="rtp_not_allowed"}'));
  return Number(line?.split(' ')[1] ?? 0);
}

run(DEFAULTS, async (config, launch) => {
  const browser = await launch();
  const [host, speaker, listener] = await Promise.all(
    ['space-host', 'space-speaker', 'space-listener'].map((label) => openPage(browser, label)));
  const shots = stepShots(config.outputDir);

  // The host signs up, creates a space and opens it, speaking from the start.
  await grantClipboard(host, config.baseUrl);
  await signUp(host, config.baseUrl, 'Sam Space');
  const link = await createRoom(host, { kind: 'space', title: 'Evening space', activity: 'just_chatting' });
  const room = new URL(link).pathname.split('/').pop();
  log('space', link);
  await host.click('#open-room');
  await host.waitForSelector('#join:not([disabled])');
  await shots.take(host, 'host-prejoin');
  await host.click('#join');
  const hostMe = await awaitInRoom(host, 'the host');
  const speakerMe = await (async () => { await joinByLink(speaker, link, 'Guest One'); return awaitInRoom(speaker, 'Guest One'); })();
  const listenerMe = await (async () => { await joinByLink(listener, link, 'Guest Two'); return awaitInRoom(listener, 'Guest Two'); })();
  if (hostMe.role !== 'host' || speakerMe.role !== 'listener' || listenerMe.role !== 'listener') {
    throw failure('wrong roles on entry', { hostMe, speakerMe, listenerMe });
  }
  await shots.take(listener, 'listeners-in');

  // Guest One raises a hand; the host sees it and invites them to speak with the button in the people list.
  await speaker.click('#raise-hand:has-text("Raise hand")');
  const raised = await poll(() => host.evaluate(
    (id) => window.salotto.members().find((m) => m.participantId === id)?.handRaised, speakerMe.id), { timeoutMs: 5000 });
  if (!raised) throw failure('the host never saw the raised hand');
  await host.waitForSelector(`#listeners li[data-participant-id="${speakerMe.id}"] .hand`);
  await shots.take(host, 'hand-raised-host');
  await clickPersonAction(host, speakerMe.id, 'promote');
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
  // What Guest Two sees: Guest One among the speakers, their ring on while they talk; a reaction floats over them.
  const ringSeen = Boolean(await poll(() => listener.evaluate(
    (id) => Boolean(document.querySelector(`#speakers li[data-participant-id="${id}"].speaking`)), speakerMe.id),
  { timeoutMs: 10_000, intervalMs: 100 }));
  await shots.take(listener, 'speaker-heard-ring');
  await speaker.click('#reactions button.react >> nth=0');
  const reactionSeen = Boolean(await poll(() => listener.evaluate(
    (id) => document.querySelector(`#speakers li[data-participant-id="${id}"] .reaction`)?.textContent ?? null, speakerMe.id),
  { timeoutMs: 5000, intervalMs: 100 }));
  await shots.take(listener, 'reaction-seen');

  // The host moves Guest One back. Guest One's page keeps sending anyway; the server must stop forwarding.
  await speaker.evaluate(() => window.salotto.keepPublishingWhenDemoted(true));
  const dropsBefore = await notAllowedDrops(config.baseUrl);
  const sentBefore = (await speaker.evaluate(() => window.salotto.publisherStats())).audio?.packetsSent ?? 0;
  const demotedAt = Date.now();
  await clickPersonAction(host, speakerMe.id, 'demote');
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
  await shots.take(host, 'moved-back-host');
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
    ringSeen,
    reactionSeen,
    screenshots: shots.paths,
  };
});
