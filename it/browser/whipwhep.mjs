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

const DEFAULTS = { timeoutMs: 30_000, minFrames: 20 };

run(DEFAULTS, async (config, launch) => {
  const browser = await launch();
  return config.scenario === 'live' ? live(config, browser) : space(config, browser);
});

/** The WHIP/WHEP client, installed in the page: everything the RFC asks of a client, and no more. */
function installClient() {
  window.whip = {
    /** POSTs the local offer; returns { status, location, etag, links, answer } and applies the answer. */
    async post(pc, url, token) {
      await pc.setLocalDescription(await pc.createOffer());
      // Salotto's answer carries its candidate; the client's candidates may follow by PATCH (trickle), or come
      // in the offer after gathering. Waiting for gathering keeps this client simple.
      await new Promise((resolve) => {
        if (pc.iceGatheringState === 'complete') return resolve();
        pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
        setTimeout(resolve, 3000);
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

async function live(config, browser) {
  const vic = await openPage(browser, 'Vic');
  await vic.goto(`${config.baseUrl}/r/${encodeURIComponent(config.room)}?name=Vic`);
  await vic.click('#join');
  const vicId = await poll(() => vic.evaluate(() => window.salotto.participantId), { timeoutMs: 15_000 });
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
  await wendy.evaluate(installClient);
  const whep = await wendy.evaluate(async ({ room, minFrames, timeoutMs }) => {
    const token = await window.whip.guestToken(room, 'Wendy');
    const pc = new RTCPeerConnection();
    window.pc = pc;
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const session = await window.whip.post(pc, `/whep/${room}`, token);
    window.session = { ...session, token };
    if (session.status !== 201) return session;
    const deadline = Date.now() + timeoutMs;
    let video = null;
    let audio = null;
    while (Date.now() < deadline) {
      for (const s of (await pc.getStats()).values()) {
        if (s.type === 'inbound-rtp' && s.kind === 'video') video = s;
        if (s.type === 'inbound-rtp' && s.kind === 'audio') audio = s;
      }
      if ((video?.framesDecoded ?? 0) >= minFrames && (audio?.packetsReceived ?? 0) > 50) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    return { ...session, framesDecoded: video?.framesDecoded ?? 0, frameWidth: video?.frameWidth ?? 0,
      audioPackets: audio?.packetsReceived ?? 0, totalAudioEnergy: audio?.totalAudioEnergy ?? 0 };
  }, { room: config.room, minFrames: config.minFrames, timeoutMs: config.timeoutMs });
  log('WHEP in the browser:', JSON.stringify(whep));
  if (whep.status !== 201) throw failure(`WHEP POST answered ${whep.status}`, { app, whep });

  // Wendy is a member: Vic sees her, then sees her go when she DELETEs.
  const wendyId = await poll(async () => (await vic.evaluate(() => window.salotto.members()))
    .find((m) => m.name === 'Wendy')?.participantId, { timeoutMs: 5_000 });
  app.wendyRole = (await vic.evaluate(() => window.salotto.members())).find((m) => m.name === 'Wendy')?.role ?? null;
  whep.deleteStatus = await wendy.evaluate(() => window.whip.remove(window.session.location, window.session.token));
  app.sawWhepViewerLeave = Boolean(wendyId) && Boolean(await poll(async () => (await vic.evaluate(() => window.salotto.departures()))
    .some((d) => d.participantId === wendyId), { timeoutMs: 5_000 }));
  emit({ event: 'decoded', app, whep });

  // The test deletes the WHIP session; Vic sees the publisher go.
  await waitForLine('publisherGone', config.timeoutMs);
  app.sawPublisherLeave = Boolean(await poll(async () => (await vic.evaluate(() => window.salotto.departures()))
    .some((d) => d.participantId === config.publisherId), { timeoutMs: 5_000 }));
  await screenshot(vic, config.outputDir, '02-vic-after-publisher-left');
  return { app, whep };
}

async function space(config, browser) {
  const page = await openPage(browser, 'Speaker');
  await page.goto(`${config.baseUrl}/health`);
  await page.evaluate(installClient);
  const published = await page.evaluate(async ({ room, token, timeoutMs }) => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const pc = new RTCPeerConnection();
    window.pc = pc;
    for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendonly' });
    const session = await window.whip.post(pc, `/whip/${room}`, token);
    window.session = { ...session, token };
    if (session.status !== 201) return session;
    const connected = () => pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';
    const audioSent = async () => {
      for (const s of (await pc.getStats()).values()) if (s.type === 'outbound-rtp' && s.kind === 'audio') return s.packetsSent;
      return 0;
    };
    const until = async (probe) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (await probe()) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    };
    await until(async () => connected() && (await audioSent()) > 20);

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
      // Connected again through the new credentials: a candidate pair that has had answers since the restart.
      const before = await audioSent();
      const restarted = await until(async () => {
        for (const s of (await pc.getStats()).values()) {
          if (s.type === 'candidate-pair' && s.state === 'succeeded' && s.nominated) {
            const local = (await pc.getStats()).get(s.localCandidateId);
            if (local && s.responsesReceived > 0 && connected()) return (await audioSent()) > before + 50;
          }
        }
        return false;
      });
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
