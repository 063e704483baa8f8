// The room page: join a Salotto room by its link, as yourself (logged in) or as a guest with a name; see and hear
// the people on stage; publish camera and mic when your role puts you on stage (everyone in a call; the host and
// guests of a live; the host, co-hosts and speakers of a space, audio only).
//
// It gets a join token from the HTTP API (docs/api.md), then speaks the protocol of docs/protocol.md over one
// WebSocket and uses two peer connections: the
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
const GUEST_TOKEN_KEY = 'salotto.guestToken';
const AUDIENCE_ROLES = new Set(['listener', 'viewer', 'moderator']);

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
  role: null,
  kind: null, // 'call' | 'live' | 'space'
  account: null, // { id, username, displayName } when logged in
  members: new Map(), // participantId -> { participantId, name, role, handRaised, guest }
  lobby: [],
  invitation: null,
  keepPublishingWhenDemoted: false, // tests: act like a client that ignores its demotion
  roomEnded: null,
  removed: null,
  waiting: false,
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

/** A call to the HTTP API as this browser: the session cookie, or else the guest token kept in localStorage. */
async function api(method, path, body) {
  const headers = {};
  const guestToken = localStorage.getItem(GUEST_TOKEN_KEY);
  if (!state.account && guestToken) headers.Authorization = `Bearer ${guestToken}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    throw Object.assign(new Error(json?.error?.message ?? `HTTP ${response.status}`), { code: json?.error?.code });
  }
  return json;
}

/** Who this browser is: the logged-in account, or a guest (a guest token is made once and kept). */
async function identify() {
  try {
    state.account = await api('GET', '/api/me');
    return;
  } catch {
    state.account = null;
  }
  if (!localStorage.getItem(GUEST_TOKEN_KEY)) {
    const { guestToken } = await api('POST', '/api/guests', {});
    localStorage.setItem(GUEST_TOKEN_KEY, guestToken);
  }
}

async function join(name) {
  setStatus('Joining…');
  await identify();
  const { token } = await api('POST', `/api/rooms/${encodeURIComponent(room)}/join`, { displayName: name });
  state.myName = name;
  state.signaling = await Signaling.open(webSocketUrl());
  listen(state.signaling);
  // Ready before `join`: Salotto may send its first subscribeOffer right after `joined`.
  state.subscriber = createSubscriber();

  const entered = await new Promise((resolve, reject) => {
    state.onEntry = { resolve, reject };
    state.signaling.send({ type: 'join', token });
  });
  state.onEntry = null;
  onJoined(entered);
  state.pingTimer = setInterval(() => state.signaling.send({ type: 'ping' }), PING_INTERVAL_MS);
  if (onStage()) await startPublishing();
  state.ready = true;
  setStatus('In the room');
}

function onStage() {
  return state.role && !AUDIENCE_ROLES.has(state.role);
}

function onJoined(joined) {
  state.waiting = false;
  state.participantId = joined.participantId;
  state.role = joined.role;
  state.kind = joined.room.kind;
  $('#room-name').textContent = `${joined.room.title} · ${joined.room.kind}`;
  for (const member of joined.members) state.members.set(member.participantId, member);
  for (const track of joined.tracks ?? []) state.sources.set(track.trackId, track.source);
  for (const member of joined.members) if (member.participantId !== state.participantId) addParticipant(member);
  state.lobby = joined.lobby ?? [];
  renderPeople();
}

/** Room events, batched by the server: presence, roles, hands, lock state. */
function onRoomEvent(event) {
  switch (event.type) {
    case 'memberJoined':
      state.members.set(event.member.participantId, event.member);
      addParticipant(event.member);
      break;
    case 'memberLeft':
      state.members.delete(event.participantId);
      removeParticipant(event.participantId);
      break;
    case 'roleChanged': {
      const member = state.members.get(event.participantId);
      if (member) Object.assign(member, { role: event.role, handRaised: false });
      if (event.participantId === state.participantId) onMyRoleChanged(event.role);
      else refreshRemoteTile(event.participantId);
      break;
    }
    case 'handRaised':
    case 'handLowered': {
      const member = state.members.get(event.participantId);
      if (member) member.handRaised = event.type === 'handRaised';
      break;
    }
    case 'lockChanged':
      state.locked = event.locked;
      break;
    default:
      break;
  }
}

async function onMyRoleChanged(role) {
  const wasOnStage = onStage();
  state.role = role;
  if (!wasOnStage && onStage()) {
    await startPublishing().catch((error) => showError(`Could not start publishing: ${error.message}`));
  } else if (wasOnStage && !onStage() && !state.keepPublishingWhenDemoted) {
    stopPublishing();
  }
  renderPeople();
}

async function startPublishing() {
  if (state.publisher) return;
  setStatus('Starting your microphone' + (state.kind === 'space' ? '…' : ' and camera…'));
  state.localStream = await navigator.mediaDevices.getUserMedia(
    state.kind === 'space' ? { audio: MEDIA_CONSTRAINTS.audio, video: false } : MEDIA_CONSTRAINTS);
  showTile('self', `${state.myName} (you)`, state.localStream, { self: true });
  $('#controls').hidden = false;
  $('#toggle-camera').hidden = state.kind === 'space';
  $('#share-screen').hidden = state.kind !== 'call';
  await publish();
}

function stopPublishing() {
  state.publisher?.close();
  state.publisher = null;
  state.publishedSources.clear();
  state.screenTransceiver = null;
  for (const track of state.localStream?.getTracks() ?? []) track.stop();
  state.localStream = null;
  removeTile('self');
}

function listen(signaling) {
  signaling
    .on('joined', (frame) => state.onEntry?.resolve(frame))
    .on('waiting', () => {
      state.waiting = true;
      setStatus('Waiting for the host to let you in…');
    })
    .on('admitted', () => setStatus('The host let you in'))
    .on('denied', (frame) => {
      state.denied = frame.message;
      state.onEntry?.reject(new Error(frame.message));
    })
    .on('removed', (frame) => {
      state.removed = frame.message;
      showError(frame.message);
    })
    .on('roomEnded', (frame) => {
      state.roomEnded = frame.message;
      showError(`The room has ended: ${frame.message}.`);
    })
    .on('invited', (frame) => {
      state.invitation = frame;
      renderPeople();
    })
    .on('lobby', (frame) => {
      state.lobby = frame.waiting;
      renderPeople();
    })
    .on('roomEvents', (frame) => {
      for (const event of frame.events) onRoomEvent(event);
      renderPeople();
    })
    .on('trackPublished', (frame) => state.sources.set(frame.trackId, frame.source))
    .on('subscribeOffer', (frame) => {
      // One offer at a time, in order, even if a new one arrives while the last is being answered.
      state.subscriberWork = state.subscriberWork
        .then(() => answerSubscribeOffer(frame))
        .catch((error) => showError(`Could not receive the others' media: ${error.message}`));
    })
    .on('error', (frame) => {
      state.errors.push(frame);
      if (state.onEntry && !frame.ref) state.onEntry.reject(new Error(frame.message));
      showError(`${frame.message} (${frame.code})`);
    })
    .on('close', (event) => {
      state.onEntry?.reject(new Error('the connection closed'));
      if (!state.left && !state.removed && !state.roomEnded) {
        showError(`The connection to the server closed${event.reason ? `: ${event.reason}` : ''}.`);
      }
      setStatus('Disconnected');
    });
}

// ---------------------------------------------------------------------------------------------------------------
// People: who is here, raised hands, the lobby, and the host's controls.

const ROLE_ORDER = ['host', 'co_host', 'participant', 'guest', 'speaker', 'moderator', 'viewer', 'listener'];
const STAGE_ROLE = { live: 'guest', space: 'speaker' };
const AUDIENCE_ROLE = { live: 'viewer', space: 'listener' };

function amHostOrCoHost() {
  return state.role === 'host' || state.role === 'co_host';
}

async function setRole(participantId, role) {
  return api('PUT', `/api/rooms/${encodeURIComponent(room)}/participants/${participantId}/role`, { role });
}

async function removePerson(participantId) {
  return api('POST', `/api/rooms/${encodeURIComponent(room)}/participants/${participantId}/remove`);
}

async function answerKnock(lobbyId, admit) {
  return api('POST', `/api/rooms/${encodeURIComponent(room)}/lobby/${lobbyId}/${admit ? 'admit' : 'deny'}`);
}

function button(label, onClick, className = '') {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (className) b.className = className;
  b.addEventListener('click', async () => {
    try {
      await onClick();
    } catch (error) {
      showError(error.message);
    }
  });
  return b;
}

function renderPeople() {
  const panel = $('#people');
  if (!panel || !state.participantId) return;
  panel.hidden = false;
  const list = $('#people-list');
  list.replaceChildren();
  const members = [...state.members.values()].sort(
    (a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.name.localeCompare(b.name));
  for (const member of members) {
    const item = document.createElement('li');
    item.dataset.participantId = member.participantId;
    item.dataset.role = member.role;
    const label = document.createElement('span');
    label.textContent = `${member.handRaised ? '✋ ' : ''}${member.name}${member.participantId === state.participantId ? ' (you)' : ''}`;
    const role = document.createElement('small');
    role.textContent = member.role.replace('_', '-');
    item.append(label, role);
    const mine = member.participantId === state.participantId;
    if (!mine && amHostOrCoHost() && member.role !== 'host') {
      const stage = STAGE_ROLE[state.kind];
      if (stage && AUDIENCE_ROLES.has(member.role)) {
        item.append(button(state.kind === 'space' ? 'Invite to speak' : 'Invite to stage',
          () => setRole(member.participantId, stage), 'promote'));
      } else if (stage && member.role !== 'co_host') {
        item.append(button('Move to audience', () => setRole(member.participantId, AUDIENCE_ROLE[state.kind]), 'demote'));
      }
      item.append(button('Remove', () => removePerson(member.participantId), 'danger remove'));
    }
    list.append(item);
  }
  const lobby = $('#lobby');
  lobby.replaceChildren();
  if (amHostOrCoHost()) {
    for (const knocker of state.lobby) {
      const item = document.createElement('li');
      item.textContent = `${knocker.name} is waiting `;
      item.append(button('Admit', () => answerKnock(knocker.lobbyId, true), 'admit'),
        button('Deny', () => answerKnock(knocker.lobbyId, false), 'danger deny'));
      lobby.append(item);
    }
  }
  const hand = $('#raise-hand');
  hand.hidden = !(STAGE_ROLE[state.kind] && AUDIENCE_ROLES.has(state.role));
  const me = state.members.get(state.participantId);
  hand.textContent = me?.handRaised ? 'Lower hand' : (state.kind === 'live' ? 'Ask to join' : 'Raise hand');
  $('#invitation').hidden = !state.invitation;
  if (state.invitation) $('#invitation-text').textContent = state.invitation.message;
  $('#leave-stage').hidden = !(STAGE_ROLE[state.kind] && onStage() && state.role !== 'host');
}

function raiseHand() {
  const me = state.members.get(state.participantId);
  state.signaling.send({ type: me?.handRaised ? 'lowerHand' : 'raiseHand' });
}

function answerInvitation(accept) {
  state.invitation = null;
  state.signaling.send({ type: accept ? 'acceptInvitation' : 'declineInvitation' });
  renderPeople();
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
  $('#people').hidden = true;
  $('#join').textContent = 'Join again';
  $('#join-form').hidden = false;
  setStatus('You left the room');
}

// ---------------------------------------------------------------------------------------------------------------
// Participants and tiles.

function addParticipant(member) {
  if (member.participantId === state.participantId) return;
  state.names.set(member.participantId, member.name);
  refreshRemoteTile(member.participantId);
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
  const member = state.members.get(participantId);
  const onStageNow = member ? !AUDIENCE_ROLES.has(member.role) : true;
  // Only people on stage get a tile; the audience is in the people list.
  updateTile(participantId, state.names.get(participantId), received.filter((r) => !isScreen(r)), onStageNow);
  const screen = received.filter(isScreen);
  const screenKey = `${participantId}:screen`;
  if (screen.length) updateTile(screenKey, `${state.names.get(participantId)} (screen)`, screen, true);
  else removeTile(screenKey);
}

function updateTile(key, name, received, keepEmpty) {
  const tracks = received.map((r) => r.transceiver.receiver.track);
  if (!tracks.length && !keepEmpty) {
    removeTile(key);
    return;
  }
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

async function describeRoom() {
  try {
    const info = await api('GET', `/api/rooms/${encodeURIComponent(room)}`);
    $('#room-name').textContent = `${info.title} · ${info.kind}`;
    document.title = `${info.title} · Salotto`;
    if (info.state === 'ended') {
      showError('This room has ended.');
      $('#join').disabled = true;
    }
  } catch (error) {
    showError(error.code === 'not_found' ? 'There is no room at this link.' : error.message);
    $('#join').disabled = true;
  }
}

function setUp() {
  $('#room-name').textContent = '';
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
    try {
      await join(name);
    } catch (error) {
      showError(`Could not join: ${error.message}`);
      await leave();
      setStatus('Not connected');
    }
  });
  $('#raise-hand').addEventListener('click', () => raiseHand());
  $('#accept-invitation').addEventListener('click', () => answerInvitation(true));
  $('#decline-invitation').addEventListener('click', () => answerInvitation(false));
  $('#leave-stage').addEventListener('click', () => state.signaling.send({ type: 'leaveStage' }));
  describeRoom();
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
  get role() { return state.role; },
  get ready() { return Boolean(state.ready); },
  get publishing() { return Boolean(state.publisher); },
  get waiting() { return state.waiting; },
  get removed() { return state.removed; },
  get roomEnded() { return state.roomEnded; },
  get invitation() { return state.invitation; },
  members: () => [...state.members.values()].map((m) => ({ ...m })),
  lobby: () => state.lobby.map((w) => ({ ...w })),
  raiseHand,
  setRole,
  keepPublishingWhenDemoted(on) { state.keepPublishingWhenDemoted = on; },
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
