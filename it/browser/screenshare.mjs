// Screen sharing in a call, as the people in it see it, on a desktop window (1280x800) and on a phone (390x844).
// In each, viewer V and sharer S join one room and see each other in the grid. S shares (Chromium's fake capture):
// V shows the screen large on the stage (fit whole, on a dark ground) with the cameras in a strip (beside the stage on
// the desktop, below it on the phone), decodes the screen at the full width S sends and S's camera at its low layer,
// because V tells the server (`videoSize`) the small size of the strip tile. S sees that it is sharing, and a button
// to stop. V pins S's camera from the strip (a click): the camera takes the stage, the screen the strip; unpinning gives
// the stage back to the screen. S stops with the button on its stage: V's grid returns, tiles of one size again, and
// V tells the server the grid's size of S's camera. Last, V pins S's tile from the keyboard (focus on its pin button,
// Enter) and unpins it the same way. Screenshots of each step go to outputDir.
//
// Config: { baseUrl, rooms: { desktop, phone }, outputDir, timeoutMs = 30000, only = ['desktop', 'phone'] }
// Result: { ok, desktop: {...}, phone: {...}, screenshots } with, per size: the boxes measured (stage, strip tiles,
// grid tiles, controls, in CSS pixels), the widths decoded, the `videoSize` frames V sent, and the sharer's view.

import { PHONE, failure, log, openPage, poll, run, screenshot } from './lib.mjs';

const DEFAULTS = { outputDir: 'target/browser', timeoutMs: 30_000, only: ['desktop', 'phone'] };
const SIZES = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: PHONE,
};

/** The boxes of V's call view: layout, stage tile, strip tiles, grid tiles, the control bar and the viewport. */
function boxes(page) {
  return page.evaluate(() => {
    const box = (e) => {
      const r = e.getBoundingClientRect();
      return { key: e.dataset.participantId ?? e.id, x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) };
    };
    const tiles = document.querySelector('#tiles');
    return {
      layout: tiles?.dataset.layout ?? null,
      side: tiles?.classList.contains('strip-side') ?? false,
      stage: [...document.querySelectorAll('#stage > .tile, #stage > .sharing-card')].map(box)[0] ?? null,
      strip: [...document.querySelectorAll('#strip > .tile')].map(box),
      grid: [...document.querySelectorAll('#tiles[data-layout="grid"] > .tile')].map(box),
      controls: box(document.querySelector('#controls')),
      viewport: { width: window.innerWidth, height: window.innerHeight },
      stageFit: getComputedStyle(document.querySelector('#stage video') ?? document.body).objectFit,
      stageBackground: document.querySelector('#stage > .tile') ? getComputedStyle(document.querySelector('#stage > .tile')).backgroundColor : null,
    };
  });
}

const area = (b) => b.width * b.height;
const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (b, v) => b.x >= 0 && b.y >= 0 && b.x + b.width <= v.width && b.y + b.height <= v.height;

/** What is wrong with a stage-and-strip view (empty when nothing is). */
function stageProblems(view, stageKey) {
  const problems = [];
  if (view.layout !== 'stage') return [`layout is ${view.layout}, not the stage`];
  if (!view.stage || view.stage.key !== stageKey) problems.push(`the stage shows ${view.stage?.key}, not ${stageKey}`);
  if (view.strip.length === 0) problems.push('no tiles in the strip');
  const all = [view.stage, ...view.strip].filter(Boolean);
  for (const b of all) {
    if (!inside(b, view.viewport)) problems.push(`${b.key} is clipped by the window`);
    if (overlap(b, view.controls)) problems.push(`${b.key} is under the controls`);
  }
  for (const t of view.strip) {
    if (view.stage && area(view.stage) < 3 * area(t)) problems.push(`the stage is not 3 times the area of ${t.key}`);
    if (view.stage && overlap(view.stage, t)) problems.push(`${t.key} overlaps the stage`);
    if (view.stage && view.side && t.x < view.stage.x + view.stage.width) problems.push(`${t.key} is not beside the stage`);
    if (view.stage && !view.side && t.y < view.stage.y + view.stage.height) problems.push(`${t.key} is not below the stage`);
  }
  return problems;
}

/** Records the `videoSize` frames a page sends, newest last; and, in `frames`, every frame's type and time. */
function recordVideoSizes(page, frames = []) {
  const sent = [];
  const note = (way) => ({ payload }) => {
    try {
      const frame = JSON.parse(String(payload));
      frames.push({ way, type: frame.type, at: Date.now() });
      if (way === 'out' && frame.type === 'videoSize') sent.push({ trackId: frame.trackId, width: frame.width, height: frame.height, at: Date.now() });
    } catch { /* not JSON */ }
  };
  page.on('websocket', (ws) => { ws.on('framesent', note('out')); ws.on('framereceived', note('in')); });
  return sent;
}

const lastSize = (sent, trackId) => [...sent].reverse().find((f) => f.trackId === trackId) ?? null;

/** S's video as V decodes it: the camera (stats) and the screen (screenStats). */
async function decoded(page, id) {
  const [stats, screens] = await Promise.all([page.evaluate(() => window.salotto.stats()), page.evaluate(() => window.salotto.screenStats())]);
  return { camera: stats[id]?.video ?? null, screen: screens[id] ?? null };
}

/** What S sends: per video sender, screen or camera, the frame width of each layer. */
function sent(page) {
  return page.evaluate(async () => {
    const out = { camera: [], screen: [] };
    for (const pc of window.__peerConnections ?? []) {
      if (pc.connectionState === 'closed') continue;
      for (const sender of pc.getSenders()) {
        const track = sender.track;
        if (!track || track.kind !== 'video' || track.readyState !== 'live') continue;
        const which = track.getSettings().displaySurface ? 'screen' : 'camera';
        for (const entry of (await sender.getStats()).values()) {
          if (entry.type === 'outbound-rtp' && entry.frameWidth) out[which].push(entry.frameWidth);
        }
      }
    }
    return out;
  });
}

async function oneSize(browser, config, label, contextOptions, room, shots) {
  const shot = async (page, name) => { const p = await screenshot(page, config.outputDir, `screenshare-${label}-${name}`); if (p) shots.push(p); };
  const v = await openPage(browser, `${label}-V`, contextOptions);
  const s = await openPage(browser, `${label}-S`, contextOptions);
  const vFrames = [];
  const sFrames = [];
  const vSizes = recordVideoSizes(v, vFrames);
  recordVideoSizes(s, sFrames);
  // Keeps S's peer connections where sent() finds them; the app itself is unchanged.
  await s.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    window.__peerConnections = [];
    window.RTCPeerConnection = class extends Native {
      constructor(...args) { super(...args); window.__peerConnections.push(this); }
    };
  });
  for (const [page, name] of [[v, 'V'], [s, 'S']]) {
    await page.goto(`${config.baseUrl}/r/${encodeURIComponent(room)}?name=${name}`);
    await page.click('#join');
  }
  const result = { label };
  const fail = (message) => failure(`${label}: ${message}`, { [label]: result, screenshots: shots });
  const sId = await poll(() => s.evaluate(() => window.salotto.ready && window.salotto.participantId), { timeoutMs: config.timeoutMs });
  if (!sId) throw fail('S never joined and published');
  const cameraFlowing = await poll(async () => (await decoded(v, sId)).camera?.framesDecoded >= 10, { timeoutMs: config.timeoutMs });
  if (!cameraFlowing) throw fail('V decoded no frames of S\'s camera');
  result.gridBefore = await boxes(v);
  await shot(v, 'V-grid');

  // S shares: V's stage shows the screen, the cameras go to the strip.
  await s.click('#share-screen');
  const screenKey = `${sId}:screen`;
  const screenFlowing = await poll(async () => (await decoded(v, sId)).screen?.framesDecoded >= 10, { timeoutMs: config.timeoutMs });
  if (!screenFlowing) throw fail('V decoded no frames of S\'s screen');
  const settled = await poll(async () => {
    const view = await boxes(v);
    return stageProblems(view, screenKey).length === 0 ? view : null;
  }, { timeoutMs: 5_000 });
  result.sharing = settled ?? await boxes(v);
  result.sharingProblems = stageProblems(result.sharing, screenKey);
  await shot(v, 'V-sharing');
  if (!settled) throw fail(`V's view while S shares: ${result.sharingProblems.join('; ')}`);

  // The widths: the screen at the full width S sends it, S's camera at its lowest layer (the strip is small).
  result.sent = await poll(async () => { const x = await sent(s); return x.screen.length && x.camera.length ? x : null; }, { timeoutMs: 10_000 });
  if (!result.sent) throw fail('S\'s outbound video not found');
  const screenWidest = Math.max(...result.sent.screen);
  const cameraLowest = Math.min(...result.sent.camera);
  const atWidths = await poll(async () => {
    const d = await decoded(v, sId);
    return d.screen?.frameWidth === screenWidest && d.camera?.frameWidth === cameraLowest ? d : null;
  }, { timeoutMs: 15_000 });
  result.decodedWhileSharing = atWidths ?? await decoded(v, sId);
  result.screenWidest = screenWidest;
  result.cameraLowest = cameraLowest;
  if (!atWidths) throw fail(`V did not decode the screen at ${screenWidest} and S's camera at ${cameraLowest} wide`);
  const cameraTrack = result.decodedWhileSharing.camera.trackId;
  const stripTile = result.sharing.strip.find((t) => t.key === sId);
  result.videoSizeInStrip = lastSize(vSizes, cameraTrack);

  // S's own view: that it shares, and how to stop; the strip with both cameras.
  const sView = await poll(async () => {
    const view = await boxes(s);
    const text = await s.textContent('#sharing-self').catch(() => null);
    return view.layout === 'stage' && text?.includes('You are sharing your screen') && await s.isVisible('#stop-sharing') ? view : null;
  }, { timeoutMs: 5_000 });
  result.sharerView = sView ?? await boxes(s);
  await shot(s, 'S-sharing');
  if (!sView) throw fail('S does not see that it is sharing, or the Stop sharing button');
  result.sharerProblems = stageProblems(sView, 'sharing-self');
  if (result.sharerProblems.length) throw fail(`S's view while sharing: ${result.sharerProblems.join('; ')}`);

  // V pins S's camera from the strip (a click on the tile): it takes the stage, the screen goes to the strip.
  await v.click(`#strip [data-participant-id="${sId}"]`);
  const pinned = await poll(async () => {
    const view = await boxes(v);
    return stageProblems(view, sId).length === 0 && view.strip.some((t) => t.key === screenKey) ? view : null;
  }, { timeoutMs: 5_000 });
  result.pinnedWhileSharing = pinned ?? await boxes(v);
  await shot(v, 'V-pinned-camera');
  if (!pinned) throw fail(`pinning S's camera during the share: ${stageProblems(result.pinnedWhileSharing, sId).join('; ')}`);
  await v.click(`#stage [data-participant-id="${sId}"] .tile-pin`);
  if (!await poll(async () => stageProblems(await boxes(v), screenKey).length === 0, { timeoutMs: 5_000 })) {
    throw fail('unpinning S\'s camera did not give the stage back to the screen');
  }

  // S stops with its stage's button: V's grid returns, tiles of one size, and the server is told the grid's size.
  await s.evaluate(() => document.addEventListener('click', () => { window.__clickedAt = Date.now(); }, { capture: true, once: true }));
  const stoppedAt = Date.now();
  await s.click('#stop-sharing');
  const clickReturnedAt = Date.now();
  const gridBack = await v.waitForFunction(() => {
    const tiles = document.querySelector('#tiles');
    return tiles?.dataset.layout === 'grid' && tiles.querySelectorAll(':scope > .tile').length === 2
      && !tiles.querySelector('[data-participant-id$=":screen"]');
  }, null, { timeout: 5_000, polling: 'raf' }).then(() => true, () => false);
  if (!gridBack) throw fail('V\'s grid did not come back when S stopped sharing');
  // From the moment S's click reaches its page (what the person did), not from Playwright's wait before it.
  const clickedAt = await s.evaluate(() => window.__clickedAt);
  result.gridReturnedMs = Date.now() - clickedAt;
  // The frames on both sockets from the stop to the grid: where the time went.
  const since = (frames) => frames.filter((f) => f.at >= stoppedAt && f.type !== 'activeSpeakers' && f.type !== 'videoSize')
    .map((f) => `${f.way} ${f.type} +${f.at - stoppedAt}`);
  result.stopTimeline = { S: since(sFrames), V: since(vFrames), clicked: clickedAt - stoppedAt,
    clickReturned: clickReturnedAt - stoppedAt };
  const grid = result.gridAfter = await boxes(v);
  const areas = grid.grid.map(area);
  result.gridAreaRatio = Math.max(...areas) / Math.min(...areas);
  const sGrid = await poll(async () => (await boxes(s)).layout === 'grid' && !await s.isVisible('#sharing-self'), { timeoutMs: 5_000 });
  result.sharerGridReturned = Boolean(sGrid);
  await shot(v, 'V-grid-after');
  const gridTile = grid.grid.find((t) => t.key === sId);
  const toldGrid = await poll(() => {
    const f = lastSize(vSizes, cameraTrack);
    return f && f.width > result.videoSizeInStrip.width ? f : null;
  }, { timeoutMs: 5_000 });
  result.videoSizeInGrid = toldGrid ?? lastSize(vSizes, cameraTrack);
  result.tileBoxes = { strip: stripTile, grid: gridTile };

  // Pinning from the keyboard: focus on S's pin button, Enter; then Enter on it again (now Unpin) to go back.
  const pinButton = `#tiles [data-participant-id="${sId}"] .tile-pin`;
  await v.focus(pinButton);
  await v.keyboard.press('Enter');
  const keyPinned = await poll(async () => { const view = await boxes(v); return stageProblems(view, sId).length === 0 ? view : null; }, { timeoutMs: 5_000 });
  result.keyboardPinned = keyPinned ?? await boxes(v);
  await shot(v, 'V-pinned-keyboard');
  if (!keyPinned) throw fail(`pinning from the keyboard: ${stageProblems(result.keyboardPinned, sId).join('; ')}`);
  result.pinLabel = await v.getAttribute(`#stage [data-participant-id="${sId}"] .tile-pin`, 'aria-label');
  await v.focus(`#stage [data-participant-id="${sId}"] .tile-pin`);
  await v.keyboard.press('Enter');
  result.keyboardUnpinned = Boolean(await poll(async () => (await boxes(v)).layout === 'grid', { timeoutMs: 5_000 }));
  log(`${label}:`, JSON.stringify({ sharing: result.sharing, decoded: result.decodedWhileSharing, sizes: [result.videoSizeInStrip, result.videoSizeInGrid], gridReturnedMs: result.gridReturnedMs, stopTimeline: result.stopTimeline }));
  await v.close();
  await s.close();
  return result;
}

run(DEFAULTS, async (config, launch) => {
  if (!config.baseUrl || !config.rooms) throw new Error('config.baseUrl and config.rooms are required');
  const browser = await launch({ extraArgs: ['--auto-select-desktop-capture-source=Entire screen', '--enable-usermedia-screen-capturing'] });
  const shots = [];
  const result = { screenshots: shots };
  for (const label of config.only) {
    result[label] = await oneSize(browser, config, label, SIZES[label], config.rooms[label], shots);
  }
  return result;
});
