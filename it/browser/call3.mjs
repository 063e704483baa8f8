// A call of three: pages A, B and C join one room, each must see and hear the two others, then C leaves and A and B
// must see C's tracks end.
//
// Config: { baseUrl, room, outputDir,
//           receiveTimeoutMs = 45000,  how long all three may take to decode video and audio from each other
//           minFrames = 30,            video frames to decode from each remote
//           leaveTimeoutMs = 5000,     how long to watch for the leaver's tracks ending (the test asserts the bound)
//           hold = false,              true: once all receive, print {"event":"ready"}, wait for the line "go-on" on
//           holdMs = 60000,              stdin (or holdMs), measure, wait settleMs, measure again
//           settleMs = 2000,
//           sampleEveryMs = 0,         > 0: also sample this often while settling (hold.during, a list)
//           speakers = false,          true: every page's microphone plays a steady tone; the speaker rings, the
//                                        highlighted tile and the mute icons and avatars are checked (result.speakers:
//                                        { mutedIconsSeen, onlyTalkerRinged, quietSeen, ringMs: { A, B }, avatarSeen })
//           exposeIce = false }        true: the ready event carries, per page, each connected peer connection's
//                                        selected local address and ICE credentials ({ address, port, browserUfrag,
//                                        serverUfrag, serverPwd }): a test forges packets with them
//
// Result: { ok, receiving: { allReceiving, ms }, pages: { A: { participantId, remotes: { B: figures, C: figures } },
//           ... }, hold?: { before, atGo, during, after, goBy }, leave: { leaver, pages: { A: { tracksEndedMs, tileRemovedMs,
//           endedTracks }, B: ... } }, screenshots }
// where figures = { participantId, framesDecoded, trackId, frameWidth, bytesReceived, totalSamplesReceived, audioLevel,
//                   maxAudioLevel, audioBytesReceived }.

import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emit, failure, log, openPage, poll, run, screenshot, sleep, waitForLine } from './lib.mjs';

/**
 * A WAV file of a steady voice-loud tone (300 Hz at -14 dBov RMS, 48 kHz mono, 2 s; Chromium loops it) for the fake
 * microphone: Chromium's own fake microphone beeps 20 ms every 500 ms, which lights a ring but is not someone
 * talking, and only someone talking may take the floor from another.
 */
function toneFile() {
  const rate = 48_000;
  const samples = rate * 2;
  const b = Buffer.alloc(44 + samples * 2);
  b.write('RIFF', 0); b.writeUInt32LE(36 + samples * 2, 4); b.write('WAVE', 8);
  b.write('fmt ', 12); b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24); b.writeUInt32LE(rate * 2, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34);
  b.write('data', 36); b.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) b.writeInt16LE(Math.round(0.3 * 32767 * Math.sin(2 * Math.PI * 300 * i / rate)), 44 + 2 * i);
  const file = join(tmpdir(), 'salotto-call3-tone.wav'); // the same bytes every time: one file, rewritten
  writeFileSync(file, b);
  return file;
}

const DEFAULTS = {
  room: `call3-${Date.now()}`,
  outputDir: 'target/browser',
  receiveTimeoutMs: 45_000,
  minFrames: 30,
  leaveTimeoutMs: 5_000,
  hold: false,
  holdMs: 60_000,
  settleMs: 2_000,
  exposeIce: false,
  sampleEveryMs: 0,
  speakers: false,
};
const LABELS = ['A', 'B', 'C'];

/** What each page receives from each other page, keyed by label: { A: { B: figures, C: figures }, ... }. */
class Reception {
  #maxAudioLevel = {}; // "A<-B" -> highest audioLevel seen
  #firstSamples = {}; // "A<-B" -> totalSamplesReceived when first seen

  constructor(pages, ids) {
    this.pages = pages;
    this.ids = ids;
  }

  async sample() {
    const snapshot = {};
    await Promise.all(LABELS.map(async (label) => {
      const stats = await this.pages[label].evaluate(() => window.salotto.stats());
      snapshot[label] = {};
      for (const other of LABELS.filter((l) => l !== label)) {
        const id = this.ids[other];
        const video = stats[id]?.video ?? {};
        const audio = stats[id]?.audio ?? {};
        const key = `${label}<-${other}`;
        this.#maxAudioLevel[key] = Math.max(this.#maxAudioLevel[key] ?? 0, audio.audioLevel ?? 0);
        if (audio.totalSamplesReceived > 0) this.#firstSamples[key] ??= audio.totalSamplesReceived;
        snapshot[label][other] = {
          participantId: id,
          framesDecoded: video.framesDecoded ?? 0,
          trackId: video.trackId ?? null,
          frameWidth: video.frameWidth ?? 0,
          bytesReceived: video.bytesReceived ?? 0,
          totalSamplesReceived: audio.totalSamplesReceived ?? 0,
          audioLevel: audio.audioLevel ?? 0,
          maxAudioLevel: this.#maxAudioLevel[key],
          audioBytesReceived: audio.bytesReceived ?? 0,
          samplesGrowing: (audio.totalSamplesReceived ?? 0) > (this.#firstSamples[key] ?? Infinity),
        };
      }
    }));
    return snapshot;
  }

  /** Whether every page decodes `minFrames` from each other page and hears it (samples growing, some level). */
  static complete(snapshot, minFrames) {
    return Object.values(snapshot).every((remotes) => Object.values(remotes).every(
      (f) => f.framesDecoded >= minFrames && f.samplesGrowing && f.maxAudioLevel > 0));
  }
}

async function joinAll(config, browser) {
  const pages = {};
  for (const label of LABELS) pages[label] = await openPage(browser, label);
  if (config.exposeIce) {
    // Keeps every peer connection the app makes where iceOf() finds it; the app itself is unchanged.
    for (const label of LABELS) {
      await pages[label].addInitScript(() => {
        const Native = window.RTCPeerConnection;
        window.__peerConnections = [];
        window.RTCPeerConnection = class extends Native {
          constructor(...args) {
            super(...args);
            window.__peerConnections.push(this);
          }
        };
      });
    }
  }
  for (const label of LABELS) {
    await pages[label].goto(`${config.baseUrl}/r/${encodeURIComponent(config.room)}?name=${label}`);
    await pages[label].click('#join');
  }
  const ids = {};
  for (const label of LABELS) {
    ids[label] = await poll(() => pages[label].evaluate(() => window.salotto.participantId), { timeoutMs: 15_000 });
    if (!ids[label]) throw failure(`page ${label} did not join room ${config.room} within 15 s`, { ids });
  }
  log('joined:', JSON.stringify(ids));
  return { pages, ids };
}

async function screenshots(pages, config, step) {
  return Promise.all(LABELS.map((label) => screenshot(pages[label], config.outputDir, `call3-${step}-${label}`)));
}

/** Each connected peer connection of a page: the address it sends from, as the server sees it, and its credentials. */
function iceOf(page) {
  return page.evaluate(async () => {
    const attribute = (sdp, name) => (sdp.match(new RegExp(`a=${name}:(\\S+)`)) ?? [])[1] ?? null;
    const found = [];
    for (const pc of window.__peerConnections ?? []) {
      if (pc.connectionState !== 'connected') continue;
      const stats = [...(await pc.getStats()).values()];
      const pair = stats.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
      const local = pair && stats.find((s) => s.id === pair.localCandidateId);
      if (!local) continue;
      found.push({
        address: local.address ?? local.ip,
        port: local.port,
        browserUfrag: attribute(pc.localDescription.sdp, 'ice-ufrag'),
        serverUfrag: attribute(pc.remoteDescription.sdp, 'ice-ufrag'),
        serverPwd: attribute(pc.remoteDescription.sdp, 'ice-pwd'),
      });
    }
    return found;
  });
}

/** Measures before, at "go-on" and after settling, while the Java side disturbs the server. */
async function hold(reception, config) {
  const before = await reception.sample();
  const ice = {};
  if (config.exposeIce) for (const label of LABELS) ice[label] = await iceOf(reception.pages[label]);
  emit({ event: 'ready', ...(config.exposeIce ? { ice } : {}) });
  const goBy = await waitForLine('go-on', config.holdMs);
  log(`hold: go-on by ${goBy}`);
  const atGo = await reception.sample();
  const during = [];
  if (config.sampleEveryMs > 0) {
    // The pace is the point: decoding must go on in every interval of the window, and each sample is checked against
    // the one before, so each is taken at least sampleEveryMs after the last one began (reading three pages' figures
    // takes a while on a busy machine: timed from its end, the window would drift, and the last interval would shrink).
    const start = Date.now();
    const end = start + config.settleMs;
    let last = start;
    for (let k = 1; start + (k + 1) * config.sampleEveryMs <= end; k++) {
      await sleep(Math.max(start + k * config.sampleEveryMs, last + config.sampleEveryMs) - Date.now());
      last = Date.now();
      during.push(await reception.sample());
    }
    await sleep(Math.max(end, last + config.sampleEveryMs) - Date.now());
  } else {
    await sleep(config.settleMs);
  }
  const after = await reception.sample();
  return { before, atGo, during, after, goBy };
}

/** C leaves; how long until A and B record the end of each of C's tracks, and remove C's tile. */
async function leave(pages, ids, config) {
  const leaver = 'C';
  const leaverTracks = {};
  for (const label of ['A', 'B']) {
    const stats = await pages[label].evaluate(() => window.salotto.stats());
    leaverTracks[label] = Object.values(stats[ids[leaver]] ?? {}).map((figures) => figures.trackId);
  }
  // Leaving as a person does: the Leave button (the hooks only look).
  // Timed from the moment the press reaches C's page (a capture listener), not from Playwright's click(), which on a
  // busy machine takes a second or more to deliver it; the pages share this machine's clock.
  await pages[leaver].evaluate(() => document.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('#leave')) window.__leavePressedAt = Date.now();
  }, { capture: true }));
  const clickedAt = Date.now();
  await pages[leaver].click('#leave');
  const leftAt = await pages[leaver].evaluate(() => window.__leavePressedAt ?? null).catch(() => null) ?? clickedAt;
  const result = { leaver, participantId: ids[leaver], leftAt, clickMs: leftAt - clickedAt, pages: {} };
  await Promise.all(['A', 'B'].map(async (label) => {
    const page = pages[label];
    const seen = await poll(async () => {
      const [ended, left, shown] = await page.evaluate(() => [
        window.salotto.endedTracks(), window.salotto.leftParticipants(), window.salotto.remoteParticipants()]);
      const mine = ended.filter((e) => e.participantId === ids[leaver]);
      const allEnded = leaverTracks[label].length > 0 && leaverTracks[label].every((t) => mine.some((e) => e.trackId === t));
      return allEnded && !shown.includes(ids[leaver]) ? { mine, left } : null;
    }, { timeoutMs: config.leaveTimeoutMs, intervalMs: 50 });
    const [ended, left] = seen
      ? [seen.mine, seen.left]
      : await page.evaluate(() => [window.salotto.endedTracks(), window.salotto.leftParticipants()]);
    const mine = ended.filter((e) => e.participantId === ids[leaver]);
    const tileRemoved = left.find((e) => e.participantId === ids[leaver]);
    result.pages[label] = {
      expectedTracks: leaverTracks[label],
      endedTracks: mine.map((e) => ({ ...e, afterLeaveMs: e.endedAt - leftAt })),
      tracksEndedMs: seen ? Math.max(...mine.map((e) => e.endedAt - leftAt)) : null,
      tileRemovedMs: tileRemoved ? tileRemoved.at - leftAt : null,
      remoteParticipants: await page.evaluate(() => window.salotto.remoteParticipants()),
    };
  }));
  return result;
}

/**
 * Who speaks and who is muted, as people see it. A and B turn their microphones off; C keeps talking (the fake
 * microphone). What the others see: the muted icon on A's and B's tiles, C's ring lit and nobody else's, C's tile
 * highlighted. Then C turns the mic off until no ring shows, and on again: how long after C's click (the page's own
 * clock) the ring lit on A's and B's screens, each timed by a MutationObserver in that page. Last, A turns the camera
 * off: B sees A's avatar instead of the picture. Everything is turned back on for the steps after.
 */
async function speakersAndMutes(pages, ids) {
  const tile = (id) => `figure.tile[data-participant-id="${id}"]`;
  const has = (page, selector) => page.evaluate((s) => Boolean(document.querySelector(s)), selector);
  const click = (page, selector) => page.evaluate((s) => {
    document.querySelector(s).click();
    return Date.now();
  }, selector);
  const result = {};
  await click(pages.A, '#toggle-mic');
  await click(pages.B, '#toggle-mic');
  result.mutedIconsSeen = Boolean(await poll(async () => await has(pages.C, `${tile(ids.A)} .tile-mic-off`)
    && await has(pages.C, `${tile(ids.B)} .tile-mic-off`), { timeoutMs: 5_000, intervalMs: 50 }));
  result.onlyTalkerRinged = Boolean(await poll(async () => await has(pages.A, `${tile(ids.C)}.speaking`)
    && await has(pages.A, `${tile(ids.C)}.dominant`) && !await has(pages.A, `${tile(ids.B)}.speaking`)
    && !await has(pages.B, `${tile(ids.A)}.speaking`), { timeoutMs: 10_000, intervalMs: 100 }));
  await click(pages.C, '#toggle-mic');
  result.quietSeen = Boolean(await poll(async () => !await has(pages.A, `${tile(ids.C)}.speaking`)
    && !await has(pages.B, `${tile(ids.C)}.speaking`), { timeoutMs: 5_000, intervalMs: 50 }));
  for (const label of ['A', 'B']) {
    await pages[label].evaluate((selector) => {
      window.__ringAt = null;
      const check = () => {
        if (window.__ringAt === null && document.querySelector(selector)) window.__ringAt = Date.now();
      };
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true });
    }, `${tile(ids.C)}.speaking`);
  }
  const talkingAt = await click(pages.C, '#toggle-mic');
  result.ringMs = {};
  await Promise.all(['A', 'B'].map(async (label) => {
    const at = await poll(() => pages[label].evaluate(() => window.__ringAt), { timeoutMs: 5_000, intervalMs: 50 });
    result.ringMs[label] = at ? at - talkingAt : null;
  }));
  await click(pages.A, '#toggle-camera');
  result.avatarSeen = Boolean(await poll(() => has(pages.B, `${tile(ids.A)} .tile-placeholder:not(.under)`),
    { timeoutMs: 5_000, intervalMs: 50 }));
  await click(pages.A, '#toggle-camera');
  await click(pages.A, '#toggle-mic');
  await click(pages.B, '#toggle-mic');
  log('speakers and mutes:', JSON.stringify(result));
  return result;
}

run(DEFAULTS, async (config, launch) => {
  if (!config.baseUrl) throw new Error('config.baseUrl is required');
  const browser = await launch(config.speakers
    ? { extraArgs: [`--use-file-for-fake-audio-capture=${toneFile()}`] } : undefined);
  const { pages, ids } = await joinAll(config, browser);
  const reception = new Reception(pages, ids);

  const startedAt = Date.now();
  let snapshot = null;
  const complete = await poll(async () => {
    snapshot = await reception.sample();
    return Reception.complete(snapshot, config.minFrames);
  }, { timeoutMs: config.receiveTimeoutMs, intervalMs: 500 });
  const result = {
    script: 'call3',
    room: config.room,
    receiving: { allReceiving: Boolean(complete), ms: Date.now() - startedAt },
    pages: Object.fromEntries(LABELS.map((l) => [l, { participantId: ids[l], remotes: snapshot[l] }])),
    screenshots: await screenshots(pages, config, 'receiving'),
  };
  log('receiving:', JSON.stringify(result.receiving), JSON.stringify(snapshot));
  if (!complete) {
    if (config.hold) emit({ event: 'ready', allReceiving: false });
    throw failure(`not every page received video and audio from both others within ${config.receiveTimeoutMs} ms`,
      result);
  }

  // What each page's audio was negotiated as (RED around Opus: the server's answer lists red first).
  result.audioCodecs = Object.fromEntries(await Promise.all(LABELS.map(
    async (l) => [l, await pages[l].evaluate(() => window.salotto.audioCodecs())])));
  log('audio codecs:', JSON.stringify(result.audioCodecs));
  if (config.hold) result.hold = await hold(reception, config);
  if (config.speakers) result.speakers = await speakersAndMutes(pages, ids);
  result.leave = await leave(pages, ids, config);
  result.screenshots.push(...await screenshots(pages, config, 'after-leave'));
  return result;
});
