// A person in a Salotto room: gets a join token from the HTTP API (docs/api.md), then speaks the protocol of
// docs/protocol.md over one WebSocket and uses two peer connections: the publisher (we offer our tracks, Salotto
// answers) and the subscriber (Salotto offers everyone else's tracks, we answer). Which remote track belongs to whom
// is read from the `a=msid:<participantId> <trackId>` line of each m-section of the subscriber offer, keyed by mid,
// because a browser may give a receiver's track an id of its own and keeps the same receiver when a later track
// reuses an m-section.
//
// The screens (src/ui) render this object's state and call its actions; it tells them when something changed.

import { ApiError, Room, RoomKind, api, ensureGuest, me, roomPath } from '../api';
import { DeviceChoice, PEER_CONNECTION_CONFIG, constraints, inboundRtp } from '../media';
import { Notice, capitalise, deviceNotice, notice } from '../refusals';
import { parseMediaSections } from '../sdp';
import { Frame, Signaling } from '../signaling';

const PING_INTERVAL_MS = 20_000;
const SPEAKING_POLL_MS = 250;
const SPEAKING_LEVEL = 0.02;
const REACTION_MS = 4_000;
const AUDIENCE_ROLES = new Set(['listener', 'viewer', 'moderator']);

export interface Member {
  participantId: string;
  name: string;
  role: string;
  guest: boolean;
  accountId?: number;
  handRaised: boolean;
}

export interface Knocker {
  lobbyId: string;
  name: string;
  guest: boolean;
  since: string;
}

/** Someone's tile: a person on stage (camera and mic), or a shared screen (key `<participantId>:screen`). */
export interface Tile {
  key: string;
  participantId: string;
  name: string;
  self: boolean;
  screen: boolean;
  stream: MediaStream | null;
  tracks: MediaStreamTrack[];
}

interface Receiving {
  participantId: string;
  trackId: string;
  kind: string;
  transceiver: RTCRtpTransceiver;
}

export type Phase = 'idle' | 'joining' | 'waiting' | 'in' | 'left' | 'over';

export interface Reaction {
  id: number;
  participantId: string;
  emoji: string;
  at: number;
}

export class RoomClient {
  readonly room: string;
  phase: Phase = 'idle';
  info: Room | null = null;
  kind: RoomKind | null = null;
  participantId: string | null = null;
  role: string | null = null;
  myName = '';
  members = new Map<string, Member>();
  lobby: Knocker[] = [];
  invitation: Frame | null = null;
  locked = false;
  /** The refusal or ending that closed the room for this person (removed, ended, denied, a join refused). */
  over: Notice | null = null;
  /** A passing message (an action refused, a lost connection), shown until dismissed. */
  banner: string | null = null;
  removed: string | null = null;
  roomEnded: string | null = null;
  denied: string | null = null;
  /** Set when the host declined this person's request for the stage. */
  requestDeclined = false;
  waiting = false;
  ready = false;
  localStream: MediaStream | null = null;
  micOn = true;
  cameraOn = true;
  sharing = false;
  tiles = new Map<string, Tile>();
  speaking = new Set<string>();
  reactions: Reaction[] = [];
  errors: Frame[] = [];
  endedTracks: { participantId: string; trackId: string; kind: string; endedAt: number; reason: string }[] = [];
  leftParticipants: { participantId: string; at: number }[] = [];
  keepPublishingWhenDemoted = false;

  devices: DeviceChoice | null = null;
  signaling: Signaling | null = null;
  publisher: RTCPeerConnection | null = null;
  subscriber: RTCPeerConnection | null = null;
  publisherSample: { at: number; byKind: Record<string, any> } | null = null;
  receiving = new Map<string, Receiving>(); // mid -> whose track
  sources = new Map<string, string>(); // trackId -> 'mic' | 'camera' | 'screen'
  #names = new Map<string, string>(); // participantId -> display name, for everyone else
  #publishedSources = new Map<RTCRtpTransceiver, string>();
  #screenTransceiver: RTCRtpTransceiver | null = null;
  #subscriberWork: Promise<void> = Promise.resolve();
  #onEntry: { resolve: (frame: Frame) => void; reject: (error: Error) => void } | null = null;
  #timers: number[] = [];
  #listeners = new Set<() => void>();
  #nextReaction = 1;

  constructor(room: string) {
    this.room = room;
  }

  // ---- change notification, for the screens ----

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  changed(): void {
    for (const listener of this.#listeners) listener();
  }

  // ---- what the screens read ----

  get onStage(): boolean {
    return Boolean(this.role) && !AUDIENCE_ROLES.has(this.role!);
  }

  get amHostOrCoHost(): boolean {
    return this.role === 'host' || this.role === 'co_host';
  }

  get publishing(): boolean {
    return Boolean(this.publisher);
  }

  get me(): Member | undefined {
    return this.participantId ? this.members.get(this.participantId) : undefined;
  }

  /** The audience: viewers of a live (and its moderator), listeners of a space. */
  get audienceCount(): number {
    let n = 0;
    for (const m of this.members.values()) if (AUDIENCE_ROLES.has(m.role)) n++;
    return n;
  }

  get screenShareAllowed(): boolean {
    return this.kind === 'call' && this.members.size <= 10;
  }

  static isAudience(role: string): boolean {
    return AUDIENCE_ROLES.has(role);
  }

  // ---- entering ----

  /** Room information for the pre-join screen; a refusal (no such room, ended) sets `over`. */
  async describe(): Promise<Room | null> {
    try {
      this.info = await api<Room>('GET', roomPath(this.room));
      this.kind = this.info.kind;
      if (this.info.state === 'ended') this.finish(notice('room_ended'));
    } catch (error) {
      this.finish(error instanceof ApiError ? notice(error.code, error.message) : notice('network'));
    }
    this.changed();
    return this.info;
  }

  /**
   * Joins with a name. `preview` is the camera and mic stream of the pre-join screen, used for publishing if this
   * person comes in on stage (it is stopped otherwise). `noDevices`: a call participant without camera and mic, who
   * comes in to watch and listen.
   */
  async join(name: string, preview: MediaStream | null, devices: DeviceChoice | null, noDevices = false): Promise<void> {
    this.phase = 'joining';
    this.myName = name;
    this.devices = devices;
    this.changed();
    try {
      if (!(await me())) await ensureGuest();
      const { token } = await api<{ token: string }>('POST', roomPath(this.room, '/join'), { displayName: name });
      this.signaling = await Signaling.open(this.#webSocketUrl());
      this.#listen(this.signaling);
      // Ready before `join`: Salotto may send its first subscribeOffer right after `joined`.
      this.subscriber = this.#createSubscriber();
      const entered = await new Promise<Frame>((resolve, reject) => {
        this.#onEntry = { resolve, reject };
        this.signaling!.send({ type: 'join', token });
      });
      this.#onEntry = null;
      this.#onJoined(entered);
      this.#timers.push(window.setInterval(() => this.signaling?.send({ type: 'ping' }), PING_INTERVAL_MS));
      this.#timers.push(window.setInterval(() => this.#pollSpeaking(), SPEAKING_POLL_MS));
      if (this.onStage && noDevices) {
        this.showBanner('You joined without camera and microphone: you see and hear the others, they do not see you.');
      } else if (this.onStage) {
        await this.#startPublishing(preview);
      } else {
        for (const track of preview?.getTracks() ?? []) track.stop();
      }
      this.ready = true;
      this.changed();
    } catch (error) {
      for (const track of preview?.getTracks() ?? []) track.stop();
      if ((this.phase as Phase) !== 'over') {
        const code = error instanceof ApiError ? error.code : (error as any)?.frame?.code ?? 'join_failed';
        this.finish(code === 'no_devices' ? (error as any).notice : notice(code, (error as Error).message));
      }
      this.#close();
    }
  }

  #webSocketUrl(): string {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    return `${scheme}://${location.host}/ws/rooms/${encodeURIComponent(this.room)}`;
  }

  #onJoined(joined: Frame) {
    this.waiting = false;
    this.phase = 'in';
    this.participantId = joined.participantId;
    this.role = joined.role;
    this.info = joined.room;
    this.kind = joined.room.kind;
    this.locked = joined.room.locked;
    for (const member of joined.members) this.members.set(member.participantId, member);
    for (const track of joined.tracks ?? []) this.sources.set(track.trackId, track.source);
    for (const member of joined.members) if (member.participantId !== this.participantId) this.#addParticipant(member);
    this.lobby = joined.lobby ?? [];
    this.changed();
  }

  #listen(signaling: Signaling) {
    signaling
      .on('joined', (frame) => this.#onEntry?.resolve(frame))
      .on('waiting', () => {
        this.waiting = true;
        this.phase = 'waiting';
        this.changed();
      })
      .on('admitted', () => this.changed())
      .on('denied', (frame) => {
        this.denied = frame.message;
        this.finish(notice('denied'));
        this.#onEntry?.reject(new Error(frame.message));
      })
      .on('removed', (frame) => {
        this.removed = frame.message;
        this.finish(notice('removed'));
      })
      .on('roomEnded', (frame) => {
        this.roomEnded = frame.message;
        this.finish({ ...notice('room_ended'), text: capitalise(frame.message) });
      })
      .on('invited', (frame) => {
        this.invitation = frame;
        this.changed();
      })
      .on('lobby', (frame) => {
        this.lobby = frame.waiting;
        this.changed();
      })
      .on('roomEvents', (frame) => {
        for (const event of frame.events) this.#onRoomEvent(event);
        this.changed();
      })
      .on('trackPublished', (frame) => this.sources.set(frame.trackId, frame.source))
      .on('subscribeOffer', (frame) => {
        // One offer at a time, in order, even if a new one arrives while the last is being answered.
        this.#subscriberWork = this.#subscriberWork
          .then(() => this.#answerSubscribeOffer(frame))
          .catch((error) => this.showBanner(`Could not receive the others' media: ${error.message}`));
      })
      .on('error', (frame) => {
        this.errors.push(frame);
        if (this.#onEntry && !frame.ref) {
          this.#onEntry.reject(Object.assign(new Error(frame.message), { frame }));
          return;
        }
        if (frame.code === 'replaced') this.finish(notice('replaced'));
        else this.showBanner(capitalise(frame.message));
      })
      .on('close', (event: CloseEvent) => {
        this.#onEntry?.reject(new Error('the connection closed'));
        if (this.phase === 'in' || this.phase === 'waiting') {
          this.finish({ code: 'closed', title: 'You were disconnected',
            text: `The connection to Salotto closed${event.reason ? `: ${event.reason}` : ''}. Rejoin to come back.` });
        }
      });
  }

  /** Room events, batched by the server: presence, roles, hands, lock state, reactions. */
  #onRoomEvent(event: Frame) {
    switch (event.type) {
      case 'memberJoined':
        this.members.set(event.member.participantId, event.member);
        this.#addParticipant(event.member);
        break;
      case 'memberLeft':
        this.members.delete(event.participantId);
        this.#removeParticipant(event.participantId);
        break;
      case 'roleChanged': {
        const member = this.members.get(event.participantId);
        if (member) Object.assign(member, { role: event.role, handRaised: false });
        if (event.participantId === this.participantId) this.#onMyRoleChanged(event.role);
        else this.#refreshRemoteTile(event.participantId);
        break;
      }
      case 'handRaised':
      case 'handLowered': {
        const member = this.members.get(event.participantId);
        if (member) member.handRaised = event.type === 'handRaised';
        if (event.participantId === this.participantId) this.requestDeclined = Boolean(event.declined);
        break;
      }
      case 'lockChanged':
        this.locked = event.locked;
        break;
      case 'roomChanged':
        this.info = event.room;
        this.locked = event.room.locked;
        break;
      case 'reaction':
        this.#addReaction(event.participantId, event.emoji);
        break;
      default:
        break;
    }
  }

  #addReaction(participantId: string, emoji: string) {
    const reaction = { id: this.#nextReaction++, participantId, emoji, at: Date.now() };
    this.reactions = [...this.reactions.slice(-19), reaction];
    window.setTimeout(() => {
      this.reactions = this.reactions.filter((r) => r !== reaction);
      this.changed();
    }, REACTION_MS);
  }

  async #onMyRoleChanged(role: string) {
    const wasOnStage = this.onStage;
    this.role = role;
    if (!wasOnStage && this.onStage) {
      this.invitation = null;
      await this.#startPublishing(null).catch((error) => {
        const n = error?.notice as Notice | undefined;
        this.showBanner(n ? `${n.title}: ${n.text}` : `Could not start publishing: ${error.message}`);
      });
    } else if (wasOnStage && !this.onStage && !this.keepPublishingWhenDemoted) {
      this.#stopPublishing();
    }
    this.changed();
  }

  // ---- publishing ----

  async #startPublishing(preview: MediaStream | null) {
    if (this.publisher) return;
    const audioOnly = this.kind === 'space';
    let stream = preview;
    if (stream && audioOnly) {
      for (const track of stream.getVideoTracks()) { track.stop(); stream.removeTrack(track); }
    }
    if (!stream || stream.getTracks().every((t) => t.readyState === 'ended')) {
      try {
        stream = await navigator.mediaDevices.getUserMedia(constraints(this.devices, !audioOnly));
      } catch (error) {
        throw Object.assign(new Error('no camera or microphone'), { notice: deviceNotice(error, this.role === 'host') });
      }
    }
    this.localStream = stream;
    for (const track of stream.getAudioTracks()) track.enabled = this.micOn;
    for (const track of stream.getVideoTracks()) track.enabled = this.cameraOn;
    this.#setTile({ key: 'self', participantId: this.participantId!, name: this.myName, self: true, screen: false,
      stream, tracks: stream.getTracks() });
    const pc = new RTCPeerConnection(PEER_CONNECTION_CONFIG);
    this.publisher = pc;
    for (const track of stream.getTracks()) {
      const transceiver = pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
      this.#publishedSources.set(transceiver, track.kind === 'audio' ? 'mic' : 'camera');
    }
    await this.#renegotiatePublisher();
    this.changed();
  }

  #stopPublishing() {
    this.publisher?.close();
    this.publisher = null;
    this.#publishedSources.clear();
    this.#screenTransceiver = null;
    this.sharing = false;
    for (const track of this.localStream?.getTracks() ?? []) track.stop();
    this.localStream = null;
    this.#removeTile('self');
  }

  /** Offers the publisher connection's current tracks to Salotto (again, after a track was added or stopped). */
  async #renegotiatePublisher() {
    const pc = this.publisher!;
    await pc.setLocalDescription(await pc.createOffer());
    // Mids exist only once the offer is applied.
    const sources: Record<string, string> = {};
    for (const [transceiver, source] of this.#publishedSources) {
      if (transceiver.mid && !(transceiver as any).stopped && transceiver.currentDirection !== 'stopped') {
        sources[transceiver.mid] = source;
      }
    }
    const answer = await this.signaling!.request({ type: 'publish', sdp: pc.localDescription!.sdp, sources }, 'publishAnswer');
    await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
  }

  toggleMic(): void {
    this.micOn = !this.micOn;
    for (const track of this.localStream?.getAudioTracks() ?? []) track.enabled = this.micOn; // silence is sent
    this.changed();
  }

  toggleCamera(): void {
    this.cameraOn = !this.cameraOn;
    for (const track of this.localStream?.getVideoTracks() ?? []) track.enabled = this.cameraOn; // black frames
    this.changed();
  }

  /** Starts or stops sharing the screen: one more video track on the publisher connection, marked as "screen". */
  async toggleScreenShare(): Promise<void> {
    if (this.#screenTransceiver) {
      await this.#stopScreenShare();
      return;
    }
    if (!this.publisher) return;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (error) {
      this.showBanner(`Screen sharing did not start: ${(error as Error).message}`);
      return;
    }
    const [track] = stream.getVideoTracks();
    const transceiver = this.publisher.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    this.#publishedSources.set(transceiver, 'screen');
    this.#screenTransceiver = transceiver;
    this.sharing = true;
    track.addEventListener('ended', () => this.#stopScreenShare()); // the browser's own "stop sharing"
    this.changed();
    try {
      await this.#renegotiatePublisher();
    } catch (error) {
      await this.#stopScreenShare();
      const frame = (error as any)?.frame;
      this.showBanner(frame ? capitalise(frame.message) : (error as Error).message);
    }
  }

  async #stopScreenShare() {
    const transceiver = this.#screenTransceiver;
    if (!transceiver) return;
    this.#screenTransceiver = null;
    this.sharing = false;
    transceiver.sender.track?.stop();
    transceiver.stop();
    this.#publishedSources.delete(transceiver);
    this.changed();
    if (this.phase === 'in' && this.publisher) await this.#renegotiatePublisher();
  }

  // ---- receiving ----

  #createSubscriber(): RTCPeerConnection {
    const pc = new RTCPeerConnection(PEER_CONNECTION_CONFIG);
    // The msid lines of the offer say whose track each m-section carries; the track event only tells us it's there.
    pc.addEventListener('track', (event) => {
      console.debug('salotto: track', event.streams[0]?.id, event.track.kind, event.track.id, event.transceiver.mid);
    });
    return pc;
  }

  async #answerSubscribeOffer({ sdp, version }: Frame) {
    const pc = this.subscriber!;
    await pc.setRemoteDescription({ type: 'offer', sdp });
    // Tracks end here: this is when the browser mutes the receivers of m-sections that turned inactive.
    this.#updateReceiving(parseMediaSections(sdp));
    await pc.setLocalDescription(await pc.createAnswer());
    this.signaling!.send({ type: 'subscribeAnswer', sdp: pc.localDescription!.sdp, version });
  }

  /** Brings `receiving` in line with a new subscriber offer and records the tracks that ended. */
  #updateReceiving(sections: ReturnType<typeof parseMediaSections>) {
    const now = Date.now();
    const changed = new Set<string>();
    const transceivers = this.subscriber!.getTransceivers();
    for (const section of sections) {
      if (!section.mid) continue;
      const before = this.receiving.get(section.mid);
      const sending = (section.direction === 'sendonly' || section.direction === 'sendrecv')
        && section.participantId && section.trackId;
      if (before && sending && before.trackId === section.trackId && before.participantId === section.participantId) {
        continue;
      }
      if (before) {
        this.receiving.delete(section.mid);
        this.endedTracks.push({
          participantId: before.participantId, trackId: before.trackId, kind: before.kind,
          endedAt: now, reason: sending ? 'replaced' : 'inactive',
        });
        changed.add(before.participantId);
      }
      if (sending) {
        const transceiver = transceivers.find((t) => t.mid === section.mid);
        if (!transceiver) continue;
        this.receiving.set(section.mid, {
          participantId: section.participantId!, trackId: section.trackId!, kind: section.kind, transceiver,
        });
        changed.add(section.participantId!);
      }
    }
    for (const participantId of changed) this.#refreshRemoteTile(participantId);
    this.changed();
  }

  // ---- participants and tiles ----

  #addParticipant(member: Member) {
    if (member.participantId === this.participantId) return;
    this.#names.set(member.participantId, member.name);
    this.#refreshRemoteTile(member.participantId);
  }

  #removeParticipant(participantId: string) {
    this.#names.delete(participantId);
    this.#removeTile(`${participantId}:screen`);
    if (this.#removeTile(participantId)) this.leftParticipants.push({ participantId, at: Date.now() });
    this.changed();
  }

  /** The receivers of one remote person: camera and mic in their tile, a shared screen in a tile of its own. */
  #refreshRemoteTile(participantId: string) {
    const name = this.#names.get(participantId);
    if (name === undefined) return; // gone, or not announced yet
    const received = [...this.receiving.values()].filter((r) => r.participantId === participantId);
    const isScreen = (r: Receiving) => this.sources.get(r.trackId) === 'screen';
    const member = this.members.get(participantId);
    const onStageNow = member ? !AUDIENCE_ROLES.has(member.role) : true;
    // Only people on stage get a tile; the audience is in the people list.
    this.#updateTile(participantId, participantId, name, received.filter((r) => !isScreen(r)), onStageNow, false);
    const screen = received.filter(isScreen);
    const screenKey = `${participantId}:screen`;
    if (screen.length) this.#updateTile(screenKey, participantId, name, screen, true, true);
    else this.#removeTile(screenKey);
  }

  #updateTile(key: string, participantId: string, name: string, received: Receiving[], keepEmpty: boolean, screen: boolean) {
    const tracks = received.map((r) => r.transceiver.receiver.track);
    if (!tracks.length && !keepEmpty) {
      this.#removeTile(key);
      return;
    }
    const tile = this.tiles.get(key);
    const same = tile && tile.tracks.length === tracks.length && tracks.every((t) => tile.tracks.includes(t));
    const stream = same ? tile!.stream : (tracks.length ? new MediaStream(tracks) : null);
    this.#setTile({ key, participantId, name, self: false, screen, stream, tracks });
  }

  #setTile(tile: Tile) {
    this.tiles.set(tile.key, tile);
  }

  #removeTile(key: string): boolean {
    return this.tiles.delete(key);
  }

  /** Who is talking now: the level of each remote audio receiver and of our own microphone. */
  async #pollSpeaking() {
    const now = new Set<string>();
    // The level the receiver plays out now (inbound-rtp audioLevel): Salotto does not forward the RFC 6464
    // audio-level header extension, so the synchronization sources carry none.
    await Promise.all([...this.receiving.values()].filter((r) => r.kind === 'audio').map(async (r) => {
      try {
        if (((await inboundRtp(r.transceiver.receiver))?.audioLevel ?? 0) > SPEAKING_LEVEL) now.add(r.participantId);
      } catch {
        // closed meanwhile
      }
    }));
    if (this.publisher && this.micOn && this.participantId) {
      try {
        for (const entry of (await this.publisher.getStats()).values()) {
          if (entry.type === 'media-source' && entry.kind === 'audio' && (entry.audioLevel ?? 0) > SPEAKING_LEVEL) {
            now.add(this.participantId);
          }
        }
      } catch {
        // closed meanwhile
      }
    }
    const same = now.size === this.speaking.size && [...now].every((id) => this.speaking.has(id));
    if (!same) {
      this.speaking = now;
      this.changed();
    }
  }

  // ---- actions ----

  /** Runs an action; a refusal becomes the banner. Returns whether it worked. */
  async #act(action: () => Promise<unknown>): Promise<boolean> {
    try {
      await action();
      return true;
    } catch (error) {
      this.showBanner(error instanceof ApiError ? capitalise(error.message) : (error as Error).message);
      return false;
    }
  }

  setRole(participantId: string, role: string): Promise<boolean> {
    return this.#act(() => api('PUT', roomPath(this.room, `/participants/${participantId}/role`), { role }));
  }

  removePerson(participantId: string): Promise<boolean> {
    return this.#act(() => api('POST', roomPath(this.room, `/participants/${participantId}/remove`)));
  }

  answerKnock(lobbyId: string, admit: boolean): Promise<boolean> {
    return this.#act(() => api('POST', roomPath(this.room, `/lobby/${lobbyId}/${admit ? 'admit' : 'deny'}`)));
  }

  /** Host: turns down someone's request for the stage (lowers their hand). */
  declineRequest(participantId: string): Promise<boolean> {
    return this.#act(() => api('DELETE', roomPath(this.room, `/participants/${participantId}/hand`)));
  }

  setLocked(locked: boolean): Promise<boolean> {
    return this.#act(() => api('PATCH', roomPath(this.room), { locked }));
  }

  endForAll(): Promise<boolean> {
    return this.#act(() => api('POST', roomPath(this.room, '/end')));
  }

  raiseHand(): void {
    this.requestDeclined = false;
    this.signaling?.send({ type: this.me?.handRaised ? 'lowerHand' : 'raiseHand' });
  }

  answerInvitation(accept: boolean): void {
    this.invitation = null;
    this.signaling?.send({ type: accept ? 'acceptInvitation' : 'declineInvitation' });
    this.changed();
  }

  leaveStage(): void {
    this.signaling?.send({ type: 'leaveStage' });
  }

  react(emoji: string): void {
    this.signaling?.send({ type: 'react', emoji });
  }

  showBanner(text: string): void {
    this.banner = text;
    this.changed();
  }

  dismissBanner(): void {
    this.banner = null;
    this.changed();
  }

  /** The room is over for this person: removed, ended, denied, refused, disconnected. */
  finish(over: Notice): void {
    this.over = over;
    this.phase = 'over';
    this.#close();
    this.changed();
  }

  async leave(): Promise<void> {
    if (this.phase === 'left' || this.phase === 'over') return;
    this.signaling?.send({ type: 'leave' });
    this.phase = 'left';
    this.#close();
    this.changed();
  }

  #close() {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    this.publisher?.close();
    this.subscriber?.close();
    this.publisher = null;
    this.signaling?.close();
    for (const track of this.localStream?.getTracks() ?? []) track.stop();
    this.localStream = null;
    for (const key of [...this.tiles.keys()]) this.#removeTile(key);
    this.speaking = new Set();
  }
}
