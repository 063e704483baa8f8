// The room page: join a Salotto room with camera and microphone, see and hear the others.
//
// It speaks the signaling protocol of docs/protocol.md over one WebSocket and uses two peer connections: the
// publisher (we offer our tracks, Salotto answers) and the subscriber (Salotto offers everyone else's tracks, we
// answer). Which remote track belongs to whom is read from the `a=msid:<participantId> <trackId>` line of each
// m-section of the subscriber offer, keyed by mid, because a browser may give a receiver's track an id of its own and
// keeps the same receiver when a later track reuses an m-section.
//
// Tests drive the page through `window.salotto` (see the end of this file).

import {
  MEDIA_CONSTRAINTS, PEER_CONNECTION_CONFIG, audioFigures, inboundRtp, outboundRtp, videoFigures,
} from './media.js';

const PING_INTERVAL_MS = 20_000;
const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const $ = (selector) => document.querySelector(selector);

// ---------------------------------------------------------------------------------------------------------------
// Signaling: one WebSocket, JSON frames, requests matched to replies by id/ref.

class Signaling {
  #socket;
  #nextId = 1;
  #pending = new Map(); // id -> { replyType, resolve, reject }
  #handlers = new Map(); // type -> handler

  static open(url) {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.addEventListener('open', () => resolve(new Signaling(socket)), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot reach ${url}`)), { once: true });
    });
  }

  constructor(socket) {
    this.#socket = socket;
    socket.addEventListener('message', (event) => this.#receive(event.data));
    socket.addEventListener('close', (event) => {
      for (const { reject } of this.#pending.values()) reject(new Error('the connection closed'));
      this.#pending.clear();
      this.#handlers.get('close')?.(event);
    });
  }

  /** Registers the handler of one frame type (or 'close'). */
  on(type, handler) {
    this.#handlers.set(type, handler);
    return this;
  }

  send(frame) {
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(frame));
  }

  /** Sends a frame with a fresh id; resolves with the reply of `replyType`, rejects with an `error` frame. */
  request(frame, replyType) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { replyType, resolve, reject });
      this.send({ ...frame, id });
    });
  }

  close() {
    this.#socket.close(1000, 'leaving');
  }

  #receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      console.warn('salotto: a frame that is not JSON', data);
      return;
    }
    const waiting = this.#takePending(frame);
    if (waiting && frame.type === 'error') {
      waiting.reject(Object.assign(new Error(`${frame.code}: ${frame.message}`), { frame }));
    } else if (waiting) {
      waiting.resolve(frame);
    }
    this.#handlers.get(frame.type)?.(frame);
  }

  // The request a frame answers: by ref, or else the oldest one waiting for that type of reply.
  #takePending(frame) {
    let id = frame.ref;
    if (id == null || !this.#pending.has(id)) {
      id = [...this.#pending].find(([, p]) => p.replyType === frame.type)?.[0];
    }
    if (id == null) return null;
    const waiting = this.#pending.get(id);
    this.#pending.delete(id);
    return waiting;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// SDP: what each m-section of a subscriber offer carries.

/** [{ mid, kind, direction, participantId, trackId }] for each m-section, in order. */
function parseMediaSections(sdp) {
  return sdp.split(/\r?\n(?=m=)/).slice(1).map((section) => {
    const lines = section.split(/\r?\n/);
    const [kind, port] = lines[0].slice(2).split(' ');
    const attribute = (name) => lines.find((l) => l.startsWith(`a=${name}:`))?.slice(name.length + 3).trim();
    const direction = port === '0'
      ? 'inactive'
      : lines.find((l) => /^a=(sendrecv|sendonly|recvonly|inactive)$/.test(l))?.slice(2) ?? 'sendrecv';
    const [participantId, trackId] = (attribute('msid') ?? '').split(' ');
    return { mid: attribute('mid'), kind, direction, participantId: participantId || null, trackId: trackId || null };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Page state.

const room = roomFromLocation();
const state = {
  participantId: null,
  signaling: null,
  publisher: null,
  subscriber: null,
  localStream: null,
  names: new Map(), // participantId -> display name, for everyone else in the room
  publishedSources: new Map(), // our publisher transceiver -> 'mic' | 'camera' | 'screen'
  screenTransceiver: null,
  sources: new Map(), // trackId -> 'mic' | 'camera' | 'screen', from participant and trackPublished frames
  receiving: new Map(), // mid -> { participantId, trackId, kind, transceiver }
  tiles: new Map(), // participantId -> { element, video, tracks }
  endedTracks: [], // { participantId, trackId, kind, endedAt, reason }
  leftParticipants: [], // { participantId, at }
  errors: [], // error frames, as received
  subscriberWork: Promise.resolve(),
  publisherSample: null,
  pingTimer: null,
  left: false,
};

function roomFromLocation() {
  const fromPath = location.pathname.match(/\/r\/([^/]+)\/?$/)?.[1];
  return decodeURIComponent(fromPath ?? new URLSearchParams(location.search).get('room') ?? '');
}

function webSocketUrl() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws/rooms/${encodeURIComponent(room)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Joining, publishing, subscribing, leaving.

async function join(name) {
  setStatus('Starting camera and microphone…');
  state.localStream = await navigator.mediaDevices.getUserMedia(MEDIA_CONSTRAINTS);
  showTile('self', `${name} (you)`, state.localStream, { self: true });

  setStatus('Connecting…');
  state.signaling = await Signaling.open(webSocketUrl());
  listen(state.signaling);
  // Ready before `join`: Salotto may send its first subscribeOffer right after `joined`.
  state.subscriber = createSubscriber();

  const joined = await state.signaling.request({ type: 'join', name }, 'joined');
  state.participantId = joined.participantId;
  for (const participant of joined.participants ?? []) addParticipant(participant);
  state.pingTimer = setInterval(() => state.signaling.send({ type: 'ping' }), PING_INTERVAL_MS);

  await publish();
  setStatus('In the room');
}

function listen(signaling) {
  signaling
    .on('participantJoined', (frame) => addParticipant(frame.participant))
    .on('participantLeft', (frame) => removeParticipant(frame.participantId))
    .on('trackPublished', (frame) => state.sources.set(frame.trackId, frame.source))
    .on('subscribeOffer', (frame) => {
      // One offer at a time, in order, even if a new one arrives while the last is being answered.
      state.subscriberWork = state.subscriberWork
        .then(() => answerSubscribeOffer(frame))
        .catch((error) => showError(`Could not receive the others' media: ${error.message}`));
    })
    .on('error', (frame) => {
      state.errors.push(frame);
      showError(`${frame.message} (${frame.code})`);
    })
    .on('close', (event) => {
      if (!state.left) showError(`The connection to the server closed${event.reason ? `: ${event.reason}` : ''}.`);
      setStatus('Disconnected');
    });
}

async function publish() {
  const pc = new RTCPeerConnection(PEER_CONNECTION_CONFIG);
  state.publisher = pc;
  pc.addEventListener('connectionstatechange', updateConnectionStatus);
  for (const track of state.localStream.getTracks()) {
    const transceiver = pc.addTransceiver(track, { direction: 'sendonly', streams: [state.localStream] });
    state.publishedSources.set(transceiver, track.kind === 'audio' ? 'mic' : 'camera');
  }
  await renegotiatePublisher();
}

/** Offers the publisher connection's current tracks to Salotto (again, after a track was added or stopped). */
async function renegotiatePublisher() {
  const pc = state.publisher;
  await pc.setLocalDescription(await pc.createOffer());
  // Mids exist only once the offer is applied.
  const sources = {};
  for (const [transceiver, source] of state.publishedSources) {
    if (transceiver.mid && !transceiver.stopped && transceiver.currentDirection !== 'stopped') sources[transceiver.mid] = source;
  }
  const answer = await state.signaling.request({ type: 'publish', sdp: pc.localDescription.sdp, sources }, 'publishAnswer');
  await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
}

/** Starts or stops sharing the screen: one more video track on the publisher connection, marked as "screen". */
async function toggleScreenShare(button) {
  if (state.screenTransceiver) {
    await stopScreenShare(button);
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
  } catch (error) {
    showError(`Screen sharing did not start: ${error.message}`);
    return;
  }
  const [track] = stream.getVideoTracks();
  const transceiver = state.publisher.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
  state.publishedSources.set(transceiver, 'screen');
  state.screenTransceiver = transceiver;
  track.addEventListener('ended', () => stopScreenShare(button)); // the browser's own "stop sharing"
  button.setAttribute('aria-pressed', 'true');
  button.textContent = 'Stop sharing';
  await renegotiatePublisher();
}

async function stopScreenShare(button) {
  const transceiver = state.screenTransceiver;
  if (!transceiver) return;
  state.screenTransceiver = null;
  transceiver.sender.track?.stop();
  transceiver.stop();
  state.publishedSources.delete(transceiver);
  button.setAttribute('aria-pressed', 'false');
  button.textContent = 'Share screen';
  if (!state.left) await renegotiatePublisher();
}

function createSubscriber() {
  const pc = new RTCPeerConnection(PEER_CONNECTION_CONFIG);
  pc.addEventListener('connectionstatechange', updateConnectionStatus);
  // The msid lines of the offer say whose track each m-section carries; the track event only tells us it's there.
  pc.addEventListener('track', (event) => {
    console.debug('salotto: track', event.streams[0]?.id, event.track.kind, event.track.id, event.transceiver.mid);
  });
  return pc;
}

async function answerSubscribeOffer({ sdp, version }) {
  const pc = state.subscriber;
  await pc.setRemoteDescription({ type: 'offer', sdp });
  // Tracks end here: this is when the browser mutes the receivers of m-sections that turned inactive.
  updateReceiving(parseMediaSections(sdp));
  await pc.setLocalDescription(await pc.createAnswer());
  state.signaling.send({ type: 'subscribeAnswer', sdp: pc.localDescription.sdp, version });
}

/** Brings `state.receiving` in line with a new subscriber offer and records the tracks that ended. */
function updateReceiving(sections) {
  const now = Date.now();
  const changed = new Set();
  const transceivers = state.subscriber.getTransceivers();
  for (const section of sections) {
    const before = state.receiving.get(section.mid);
    const sending = (section.direction === 'sendonly' || section.direction === 'sendrecv')
      && section.participantId && section.trackId;
    if (before && sending && before.trackId === section.trackId && before.participantId === section.participantId) {
      continue;
    }
    if (before) {
      state.receiving.delete(section.mid);
      state.endedTracks.push({
        participantId: before.participantId, trackId: before.trackId, kind: before.kind,
        endedAt: now, reason: sending ? 'replaced' : 'inactive',
      });
      changed.add(before.participantId);
    }
    if (sending) {
      const transceiver = transceivers.find((t) => t.mid === section.mid);
      if (!transceiver) continue;
      state.receiving.set(section.mid, {
        participantId: section.participantId, trackId: section.trackId, kind: section.kind, transceiver,
      });
      changed.add(section.participantId);
    }
  }
  for (const participantId of changed) refreshRemoteTile(participantId);
}

async function leave() {
  if (state.left) return;
  state.left = true;
  clearInterval(state.pingTimer);
  state.signaling?.send({ type: 'leave' });
  state.publisher?.close();
  state.subscriber?.close();
  state.signaling?.close();
  for (const track of state.localStream?.getTracks() ?? []) track.stop();
  for (const participantId of [...state.tiles.keys()]) removeTile(participantId);
  $('#controls').hidden = true;
  $('#join').textContent = 'Join again';
  $('#join-form').hidden = false;
  setStatus('You left the room');
}

// ---------------------------------------------------------------------------------------------------------------
// Participants and tiles.

function addParticipant(participant) {
  if (participant.id === state.participantId) return;
  state.names.set(participant.id, participant.name);
  for (const track of participant.tracks ?? []) state.sources.set(track.trackId, track.source);
  refreshRemoteTile(participant.id);
}

function removeParticipant(participantId) {
  state.names.delete(participantId);
  removeTile(`${participantId}:screen`);
  if (removeTile(participantId)) state.leftParticipants.push({ participantId, at: Date.now() });
}

function refreshRemoteTile(participantId) {
  if (!state.names.has(participantId)) return; // gone, or not announced yet
  const received = [...state.receiving.values()].filter((r) => r.participantId === participantId);
  const isScreen = (r) => state.sources.get(r.trackId) === 'screen';
  // Camera and microphone in the person's tile; a shared screen in a tile of its own.
  updateTile(participantId, state.names.get(participantId), received.filter((r) => !isScreen(r)), true);
  const screen = received.filter(isScreen);
  const screenKey = `${participantId}:screen`;
  if (screen.length) updateTile(screenKey, `${state.names.get(participantId)} (screen)`, screen, true);
  else removeTile(screenKey);
}

function updateTile(key, name, received, keepEmpty) {
  const tracks = received.map((r) => r.transceiver.receiver.track);
  if (!tracks.length && !keepEmpty) return;
  const tile = state.tiles.get(key);
  const same = tile && tile.tracks.length === tracks.length && tracks.every((t) => tile.tracks.includes(t));
  if (!same) showTile(key, name, tracks.length ? new MediaStream(tracks) : null);
  state.tiles.get(key).tracks = tracks;
}

function showTile(participantId, name, stream, { self = false } = {}) {
  let tile = state.tiles.get(participantId);
  if (!tile) {
    const element = $('#tile-template').content.firstElementChild.cloneNode(true);
    element.dataset.participantId = participantId;
    element.classList.toggle('self', self);
    const video = element.querySelector('video');
    video.muted = self; // never play our own microphone back
    tile = { element, video, tracks: [] };
    state.tiles.set(participantId, tile);
    $('#tiles').append(element);
  }
  tile.element.querySelector('figcaption').textContent = name;
  if (tile.video.srcObject !== stream) tile.video.srcObject = stream;
}

function removeTile(participantId) {
  const tile = state.tiles.get(participantId);
  if (!tile) return false;
  tile.video.srcObject = null;
  tile.element.remove();
  state.tiles.delete(participantId);
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Status, errors, controls.

function setStatus(text) {
  $('#status').textContent = text;
}

function updateConnectionStatus() {
  const publisher = state.publisher?.connectionState ?? '–';
  const subscriber = state.subscriber?.connectionState ?? '–';
  setStatus(`sending: ${publisher} · receiving: ${subscriber}`);
}

function showError(text) {
  $('#banner-text').textContent = text;
  $('#banner').hidden = false;
}

function toggleTrack(kind, button, label) {
  const tracks = state.localStream?.getTracks().filter((t) => t.kind === kind) ?? [];
  const on = !tracks.every((t) => t.enabled);
  for (const track of tracks) track.enabled = on; // a disabled track sends silence or black frames
  button.setAttribute('aria-pressed', String(on));
  button.textContent = `${label} ${on ? 'on' : 'off'}`;
}

function setUp() {
  $('#room-name').textContent = room;
  $('#banner-close').addEventListener('click', () => { $('#banner').hidden = true; });
  const nameInput = $('#name');
  nameInput.value = new URLSearchParams(location.search).get('name') ?? '';
  if (!ROOM_PATTERN.test(room)) {
    showError('This room link is not valid: a room name is 1 to 64 letters, digits, "-" or "_".');
    $('#join').disabled = true;
    return;
  }
  $('#join-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    if (!name) return;
    if (state.left) { // a clean page for a new visit
      const url = new URL(location.href);
      url.searchParams.set('name', name);
      location.assign(url);
      return;
    }
    $('#join-form').hidden = true;
    $('#controls').hidden = false;
    try {
      await join(name);
    } catch (error) {
      showError(`Could not join: ${error.message}`);
      await leave();
      setStatus('Not connected');
    }
  });
  $('#toggle-mic').addEventListener('click', (event) => toggleTrack('audio', event.currentTarget, 'Mic'));
  $('#toggle-camera').addEventListener('click', (event) => toggleTrack('video', event.currentTarget, 'Camera'));
  $('#share-screen').addEventListener('click', (event) => toggleScreenShare(event.currentTarget));
  $('#leave').addEventListener('click', () => leave());
  window.addEventListener('pagehide', () => leave());
  nameInput.focus();
}

// ---------------------------------------------------------------------------------------------------------------
// Test hooks.

/** Receive figures per remote participant: { [participantId]: { video: {...}, audio: {...} } }. */
async function stats() {
  const entries = await Promise.all([...state.receiving.values()].map(
    async (r) => [r, await inboundRtp(r.transceiver.receiver)]));
  const result = {};
  for (const [r, entry] of entries) {
    if (state.sources.get(r.trackId) === 'screen') continue; // see screenStats()
    const figures = result[r.participantId] ??= {};
    figures[r.kind] = {
      trackId: r.trackId,
      ...(r.kind === 'video' ? videoFigures(entry) : audioFigures(entry)),
    };
  }
  return result;
}

/** Receive figures of shared screens: { [participantId]: { trackId, framesDecoded, ... } }. */
async function screenStats() {
  const result = {};
  for (const r of state.receiving.values()) {
    if (r.kind !== 'video' || state.sources.get(r.trackId) !== 'screen') continue;
    result[r.participantId] = { trackId: r.trackId, ...videoFigures(await inboundRtp(r.transceiver.receiver)) };
  }
  return result;
}

/** Send figures by kind, with the bitrate since the previous call. */
async function publisherStats() {
  if (!state.publisher) return {};
  const now = performance.now();
  const byKind = await outboundRtp(state.publisher);
  const previous = state.publisherSample;
  state.publisherSample = { at: now, byKind };
  const result = {};
  for (const [kind, entry] of Object.entries(byKind)) {
    const before = previous?.byKind[kind];
    const seconds = previous ? (now - previous.at) / 1000 : 0;
    result[kind] = {
      bytesSent: entry.bytesSent ?? 0,
      packetsSent: entry.packetsSent ?? 0,
      framesEncoded: entry.framesEncoded,
      frameWidth: entry.frameWidth,
      targetBitrate: entry.targetBitrate,
      bitrate: before && seconds > 0 ? Math.round((8 * (entry.bytesSent - before.bytesSent)) / seconds) : null,
    };
  }
  for (const entry of (await state.publisher.getStats()).values()) {
    if (entry.type === 'candidate-pair' && entry.nominated && entry.state === 'succeeded') {
      result.availableOutgoingBitrate = entry.availableOutgoingBitrate ?? null;
    }
  }
  return result;
}

window.salotto = Object.freeze({
  get room() { return room; },
  get participantId() { return state.participantId; },
  remoteParticipants: () => [...state.tiles.keys()].filter((id) => id !== 'self' && !id.endsWith(':screen')),
  stats,
  screenStats,
  endedTracks: () => state.endedTracks.map((e) => ({ ...e })),
  leftParticipants: () => state.leftParticipants.map((e) => ({ ...e })),
  errors: () => state.errors.map((e) => ({ ...e })),
  publisherStats,
  leave,
});

setUp();
