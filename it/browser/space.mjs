// A space run by its host, all through the web app: the host signs up, creates a space and opens it; two guests
// open its link and join as listeners; one raises a hand; the host invites them to speak; the other listener hears
// them and sees their speaker ring; a reaction shows; the host moves them back to the audience: their audio stops
// within 2 s for the other listener, and they stay in the space as a listener, hearing the host. (That the server
// drops what a demoted client still sends is DemotedRtpTest's, with a raw client: this page behaves as a person's.)
//
// Config: { baseUrl, outputDir, timeoutMs = 30000 }
// Result: { ok, room, speaker, heard: {...}, ringSeen, reactionSeen, stoppedMs, speakerAfter: {phase, id, role,
//           notice, hearsHost}, screenshots }

import { audioOf as audioFrom, awaitInRoom, clickPersonAction, createRoom, grantClipboard, joinByLink, signUp, stepShots } from './app.mjs';
import { failure, log, openPage, poll, run, sleep } from './lib.mjs';

const DEFAULTS = { outputDir: 'target/screenshots/space', timeoutMs: 30_000 };

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

  // The host moves Guest One back to the audience.
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
  // Guest One is still in the space, as a listener, and still hears the host.
  const hostBefore = await audioFrom(speaker, hostMe.id);
  const hearsHost = await poll(async () => {
    const a = await audioFrom(speaker, hostMe.id);
    return a && hostBefore && a.totalSamplesReceived > hostBefore.totalSamplesReceived + 24_000 ? a : null;
  }, { timeoutMs: 5000 });
  const speakerAfter = await speaker.evaluate(() => ({
    phase: window.salotto.phase, id: window.salotto.participantId, role: window.salotto.role,
    notice: document.querySelector('#notice')?.dataset.code ?? null,
  }));
  // Hearing the host again took half a second of audio: what the listener got from the speaker since then is late RTP.
  const packetsAfterStop = (await audioOf())?.packetsReceived ?? lastPackets;
  await shots.take(host, 'moved-back-host');
  await shots.take(speaker, 'moved-back-still-listening');
  return {
    ok: true,
    room,
    speaker: speakerMe.id,
    heard,
    stoppedHow: stopped,
    stoppedMs,
    speakerRole: speakerAfter.role,
    speakerAfter: { ...speakerAfter, hearsHost },
    packetsAfterStop,
    ringSeen,
    reactionSeen,
    screenshots: shots.paths,
  };
});
