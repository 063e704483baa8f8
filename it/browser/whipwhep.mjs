// WHIP and WHEP from Chromium, with a minimal client written from RFC 9725 and the WHEP draft (not the web app's
// code): fetch POST of the offer as application/sdp with the bearer token, setRemoteDescription of the answer,
// PATCH with application/trickle-ice-sdpfrag, DELETE of the Location. The page is one of the server's own (same
// origin: the server's Origin check lets it through without CORS).
//
// scenario "live" (config: baseUrl, room, publisherId): a WHIP publisher is on the live's stage already.
//   - "Vic" watches in the web app (the test build's window.salotto hooks) and decodes the publisher's video;
//   - "Wendy" watches with the minimal WHEP client (a guest join token fetched from the API) and decodes it;
//   - Wendy's DELETE: Vic sees her leave. Prints {"event": "decoded", app, whep}, then waits for "publisherGone" on
//     stdin (the test has deleted the WHIP session) and checks that Vic saw the publisher leave.
// scenario "space" (config: baseUrl, room, token: the host's join token):
//   - publishes the fake microphone and camera with the minimal WHIP client (a space takes audio only: the answer
//     rejects the video m-section), checks PATCH (a trickled candidate: 204; a wrong If-Match: 412) and restarts ICE
//     by PATCH (If-Match: *), then prints {"event": "published", status, accepted, trickle, wrongEtag, iceRestart};
//   - waits for "delete" on stdin, sends DELETE, and ends with {deleteStatus, iceRestart}.

import { failure, log, openPage, poll, run, screenshot, sleep, waitForLine, emit } from './lib.mjs';

// gatheringMs: how long a client waits for its candidates before it POSTs the offer with those it has (a deadline:
// gathering done sooner posts sooner; Salotto needs no client candidate, being ICE-lite).
const DEFAULTS = { timeoutMs: 30_000, minFrames: 20, gatheringMs: 3000 };

run(DEFAULTS, async (config, launch) => {
  const browser = await launch();
  return config.scenario === 'live' ? live(config, browser) : space(config, browser);
});

/** The WHIP/WHEP client, installed in the page: everything the RFC asks of a client, and no more. */
function installClient({ gatheringMs }) {
  window.whip = {
    /** POSTs the local offer; returns { status, location, etag, links, answer } and applies the answer. */
    async post(pc, url, token) {
      await pc.setLocalDescription(await pc.createOffer());
      // Salotto's answer carries its candidate; the client's candidates may follow by PATCH (trickle), or come
      // in the offer after gathering. Waiting for gathering keeps this client simple.
      await new Promise((resolve) => {
        if (pc.iceGatheringState === 'complete') return resolve();
        pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
        setTimeout(resolve, gatheringMs);
      });
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${token}` },
        body: pc.localDescription.sdp,
      });
      const text = await response.text();
      const result = {
        status: response.status,
        location: response.headers.get('Location'),
        etag: response.headers.get('ETag'),
        contentType: response.headers.get('Content-Type'),
        links: response.headers.get('Link'),
        error: response.status === 201 ? null : text,
      };
      if (response.status === 201) {
        await pc.setRemoteDescription({ type: 'answer', sdp: text });
        result.accepted = text.split('\r\nm=').slice(1).filter((m) => !/^\w+ 0 /.test(m)).map((m) => m.split(' ')[0]);
      }
      return result;
    },
    async patch(location, token, etag, fragment) {
      const response = await fetch(location, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/trickle-ice-sdpfrag', 'If-Match': etag, Authorization: `Bearer ${token}` },
        body: fragment,
      });
      return { status: response.status, etag: response.headers.get('ETag'), body: await response.text() };
    },
    async remove(location, token) {
      const response = await fetch(location, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
      return response.status;
    },
    /** A guest's join token for a room, as any application would get one for its user (docs/api.md). */
    async guestToken(room, name) {
      const guest = await (await fetch('/api/guests', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json();
      const join = await fetch(`/api/rooms/${room}/join`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${guest.guestToken}` },
        body: JSON.stringify({ displayName: name }),
      });
      return (await join.json()).token;
    },
  };
}

/**
 * What the waits below wait on, counted as it happens rather than read from getStats() again and again: the encoded
 * frames a connection sends and receives (insertable streams, passed through unchanged: an Opus frame is one RTP
 * packet) and the video frames its receivers decode (MediaStreamTrackProcessor). `window.counting.until(test, ms)`
 * resolves true as soon as `test()` holds after a count, false at the deadline.
 */
function installCounting() {
  const waiting = new Set();
  const changed = () => {
    for (const w of [...waiting]) if (w.test()) { waiting.delete(w); w.resolve(true); }
  };
  const counts = { sent: { audio: 0, video: 0 }, received: { audio: 0, video: 0 }, decoded: 0, connectedSends: 0 };
  const through = (onFrame) => new TransformStream({ transform(frame, controller) { onFrame(); controller.enqueue(frame); } });
  window.counting = {
    counts,
    changed,
    /** A connection that counts: its constructor's option, then send(sender) / receive(event) for each. */
    options: { encodedInsertableStreams: true },
    send(pc, sender, kind) {
      const streams = sender.createEncodedStreams();
      const connected = () => pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';
      streams.readable.pipeThrough(through(() => {
        counts.sent[kind] += 1;
        if (kind === 'audio' && connected()) counts.connectedSends += 1;
        changed();
      })).pipeTo(streams.writable);
    },
    receive(event) {
      const kind = event.track.kind;
      const streams = event.receiver.createEncodedStreams();
      streams.readable.pipeThrough(through(() => {
        counts.received[kind] += 1;
        changed();
      })).pipeTo(streams.writable);
      if (kind === 'video') {
        const reader = new MediaStreamTrackProcessor({ track: event.track.clone() }).readable.getReader();
        (async () => {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            value.close();
            counts.decoded += 1;
            changed();
          }
        })();
      }
    },
    until(test, ms) {
      if (test()) return Promise.resolve(true);
      return new Promise((resolve) => {
        const w = { test, resolve };
        waiting.add(w);
        setTimeout(() => { if (waiting.delete(w)) resolve(false); }, ms);
      });
    },
  };
}

/** What `probe` (run in the page, at each frame) answers once it is truthy; null if not within `timeoutMs`. */
function shown(page, probe, arg, timeoutMs) {
  return page.waitForFunction(probe, arg, { timeout: timeoutMs }).then((handle) => handle.jsonValue(), () => null);
}

async function live(config, browser) {
  const vic = await openPage(browser, 'Vic');
  await vic.goto(`${config.baseUrl}/r/${encodeURIComponent(config.room)}?name=Vic`);
  await vic.click('#join');
  const vicId = await shown(vic, () => window.salotto?.participantId, null, 15_000);
  if (!vicId) throw failure('Vic did not join the live');
  const appFrames = await poll(async () => {
    const stats = await vic.evaluate(() => window.salotto.stats());
    const video = stats[config.publisherId]?.video;
    return video && video.framesDecoded >= config.minFrames ? video : null;
  }, { timeoutMs: config.timeoutMs });
  const members = await vic.evaluate(() => window.salotto.members());
  const app = {
    framesDecoded: appFrames?.framesDecoded ?? 0,
    frameWidth: appFrames?.frameWidth ?? 0,
    publisherRole: members.find((m) => m.participantId === config.publisherId)?.role ?? null,
  };
  await screenshot(vic, config.outputDir, '01-vic-watches-whip-publisher');
  if (!appFrames) throw failure('Vic decoded nothing from the WHIP publisher', { app });

  const wendy = await openPage(browser, 'Wendy');
  await wendy.goto(`${config.baseUrl}/health`);
  await wendy.evaluate(installClient, { gatheringMs: config.gatheringMs });
  await wendy.evaluate(installCounting);
  const whep = await wendy.evaluate(async ({ room, minFrames, timeoutMs }) => {
    const token = await window.whip.guestToken(room, 'Wendy');
    const pc = new RTCPeerConnection(window.counting.options);
    window.pc = pc;
    pc.addEventListener('track', (e) => window.counting.receive(e));
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const session = await window.whip.post(pc, `/whep/${room}`, token);
    window.session = { ...session, token };
    if (session.status !== 201) return session;
    // Decoded video frames and audio packets (an Opus frame each) as they come, up to the deadline.
    const { counts } = window.counting;
    await window.counting.until(() => counts.decoded >= minFrames && counts.received.audio > 50, timeoutMs);
    let video = null;
    let audio = null;
    for (const s of (await pc.getStats()).values()) {
      if (s.type === 'inbound-rtp' && s.kind === 'video') video = s;
      if (s.type === 'inbound-rtp' && s.kind === 'audio') audio = s;
    }
    return { ...session, framesDecoded: video?.framesDecoded ?? 0, frameWidth: video?.frameWidth ?? 0,
      audioPackets: audio?.packetsReceived ?? 0, totalAudioEnergy: audio?.totalAudioEnergy ?? 0 };
  }, { room: config.room, minFrames: config.minFrames, timeoutMs: config.timeoutMs });
  log('WHEP in the browser:', JSON.stringify(whep));
  if (whep.status !== 201) throw failure(`WHEP POST answered ${whep.status}`, { app, whep });

  // Wendy is a member: Vic sees her, then sees her go when she DELETEs.
  const wendyId = await shown(vic, () => window.salotto.members().find((m) => m.name === 'Wendy')?.participantId, null, 5_000);
  app.wendyRole = (await vic.evaluate(() => window.salotto.members())).find((m) => m.name === 'Wendy')?.role ?? null;
  whep.deleteStatus = await wendy.evaluate(() => window.whip.remove(window.session.location, window.session.token));
  app.sawWhepViewerLeave = Boolean(wendyId)
    && Boolean(await shown(vic, (id) => window.salotto.departures().some((d) => d.participantId === id), wendyId, 5_000));
  emit({ event: 'decoded', app, whep });

  // The test deletes the WHIP session; Vic sees the publisher go.
  await waitForLine('publisherGone', config.timeoutMs);
  app.sawPublisherLeave = Boolean(await shown(vic, (id) => window.salotto.departures().some((d) => d.participantId === id),
    config.publisherId, 5_000));
  await screenshot(vic, config.outputDir, '02-vic-after-publisher-left');
  return { app, whep };
}

async function space(config, browser) {
  const page = await openPage(browser, 'Speaker');
  await page.goto(`${config.baseUrl}/health`);
  await page.evaluate(installClient, { gatheringMs: config.gatheringMs });
  await page.evaluate(installCounting);
  const published = await page.evaluate(async ({ room, token, timeoutMs }) => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const pc = new RTCPeerConnection(window.counting.options);
    window.pc = pc;
    for (const track of stream.getTracks()) {
      const { sender } = pc.addTransceiver(track, { direction: 'sendonly' });
      window.counting.send(pc, sender, track.kind);
    }
    const session = await window.whip.post(pc, `/whip/${room}`, token);
    window.session = { ...session, token };
    if (session.status !== 201) return session;
    const connected = () => pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';
    const audioSent = async () => {
      for (const s of (await pc.getStats()).values()) if (s.type === 'outbound-rtp' && s.kind === 'audio') return s.packetsSent;
      return 0;
    };
    const { counts } = window.counting;
    pc.addEventListener('iceconnectionstatechange', window.counting.changed);
    // Connected, and audio packets (an Opus frame each) going out on the connection.
    await window.counting.until(() => connected() && counts.connectedSends > 20, timeoutMs);

    // A trickled candidate (RFC 8840 fragment) with the session's ETag: taken, and ignored (ICE-lite).
    const mid = pc.getTransceivers()[0].mid;
    const ufrag = /a=ice-ufrag:(\S+)/.exec(pc.localDescription.sdp)[1];
    const pwd = /a=ice-pwd:(\S+)/.exec(pc.localDescription.sdp)[1];
    const frag = (u, p, candidate) => `a=ice-ufrag:${u}\r\na=ice-pwd:${p}\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:${mid}\r\n`
      + (candidate ? `a=${candidate}\r\n` : '') + 'a=end-of-candidates\r\n';
    const trickle = await window.whip.patch(session.location, token, session.etag,
      frag(ufrag, pwd, 'candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host'));
    const wrongEtag = await window.whip.patch(session.location, token, '"not-the-etag"',
      frag(ufrag, pwd, 'candidate:2 1 udp 2122260223 192.0.2.2 54322 typ host'));

    // ICE restart (RFC 9725 section 4.3.2): new local credentials in a PATCH with If-Match: *, the server's new
    // credentials in the answer's fragment put into the remote description; DTLS and the media carry on.
    // The restarted pair's selection is listened for before the restart begins.
    const ice = pc.getSenders()[0].transport.iceTransport;
    let selected = false;
    ice.addEventListener('selectedcandidatepairchange', () => {
      selected = true;
      window.counting.changed();
    }, { once: true });
    pc.restartIce();
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const newUfrag = /a=ice-ufrag:(\S+)/.exec(offer.sdp)[1];
    const newPwd = /a=ice-pwd:(\S+)/.exec(offer.sdp)[1];
    const restart = await window.whip.patch(session.location, token, '*', frag(newUfrag, newPwd, null));
    const iceRestart = { status: restart.status, etagChanged: restart.etag !== session.etag && Boolean(restart.etag) };
    if (restart.status === 200) {
      const serverUfrag = /a=ice-ufrag:(\S+)/.exec(restart.body)[1];
      const serverPwd = /a=ice-pwd:(\S+)/.exec(restart.body)[1];
      const answer = pc.remoteDescription.sdp.replace(/a=ice-ufrag:\S+/g, `a=ice-ufrag:${serverUfrag}`)
        .replace(/a=ice-pwd:\S+/g, `a=ice-pwd:${serverPwd}`);
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      window.session.etag = restart.etag;
      // Connected again through the new credentials: a candidate pair that has had answers since the restart. Waits
      // for the ICE transport to select the restarted pair, then for 50 audio packets sent on it, and checks then.
      const before = await audioSent();
      const sentAtSelection = { n: null };
      const deadline = Date.now() + timeoutMs;
      await window.counting.until(() => {
        if (selected && sentAtSelection.n === null) sentAtSelection.n = counts.connectedSends;
        return sentAtSelection.n !== null && counts.connectedSends > sentAtSelection.n + 50;
      }, timeoutMs);
      const restartedPair = async () => {
        for (const s of (await pc.getStats()).values()) {
          if (s.type === 'candidate-pair' && s.state === 'succeeded' && s.nominated) {
            const local = (await pc.getStats()).get(s.localCandidateId);
            if (local && s.responsesReceived > 0 && connected()) return (await audioSent()) > before + 50;
          }
        }
        return false;
      };
      // Stats are a snapshot: read once more after each further packet, if the first read came a packet early.
      let restarted = await restartedPair();
      while (!restarted && Date.now() < deadline) {
        const next = counts.connectedSends + 1;
        if (!(await window.counting.until(() => counts.connectedSends >= next, deadline - Date.now()))) break;
        restarted = await restartedPair();
      }
      iceRestart.connectedAgain = restarted;
    }
    return { ...session, trickle: trickle.status, wrongEtag: wrongEtag.status, iceRestart };
  }, { room: config.room, token: config.token, timeoutMs: config.timeoutMs });
  log('WHIP in the browser:', JSON.stringify(published));
  if (published.status !== 201) throw failure(`WHIP POST answered ${published.status}: ${published.error}`, { published });
  emit({ event: 'published', ...published });

  await waitForLine('delete', 60_000);
  // Media still flowing at the end: packets sent since the restart.
  const packetsAfter = await page.evaluate(async () => {
    for (const s of (await window.pc.getStats()).values()) if (s.type === 'outbound-rtp' && s.kind === 'audio') return s.packetsSent;
    return 0;
  });
  const deleteStatus = await page.evaluate(() => window.whip.remove(window.session.location, window.session.token));
  await sleep(100);
  return { deleteStatus, iceRestart: { ...published.iceRestart, packetsAfter } };
}
