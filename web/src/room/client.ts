// A person in a Salotto room: gets a join token from the HTTP API (docs/api.md), then speaks the protocol of
// docs/protocol.md over one WebSocket and uses two peer connections: the publisher (publishing.ts: we offer our
// tracks, Salotto answers) and the subscriber (remote.ts: Salotto offers everyone else's tracks, we answer).
//
// The person's place in the room outlives the WebSocket. When it drops without our leaving, the room stays on screen
// with a "Reconnecting…" state while a new socket presents the resume token (`resume`); Salotto answers `resumed`
// with the same participant and a snapshot of the room, and both connections restart ICE in place. If the resume is
// refused, or its grace has passed, the page joins afresh by itself: the person never has to press "Rejoin".
// With a cluster, a node that cannot be reached is passed over: the socket and the HTTP calls of coming back go to
// the next node `joined` listed (nodes.ts), which takes us or sends us on to the room's node.
//
// The screens (src/ui) render this object's state and call its actions; it tells them when something changed.

import { ApiError, JoinAnswer, JoinRequest, Room, RoomKind, api, ensureGuest, me, roomPath } from '../api';
import { DeviceChoice } from '../media';
import { answered, learnNodes, nodeOrder, originOf } from '../nodes';
import { Notice, capitalise, notice } from '../refusals';
import { ClientFrame, FrameOf, Signaling } from '../signaling';
import type { RoomEventFrame, Source } from '../../../protocol/salotto-protocol';

/** `joined` or `resumed`: the room as it is, on entering. */
type Snapshot = FrameOf<'joined' | 'resumed'>;
import { RoomActions } from './actions';
import { Publishing, capture } from './publishing';
import { Reconnector } from './reconnect';
import { RemoteMedia, Tile, isAudience } from './remote';
import { applyRoomEvent } from './roomEvents';
import { Live, LiveRoom } from '../live/live';
import { roleSentence } from './told';

export type { Tile } from './remote';

const PING_INTERVAL_MS = 20_000;
/** Tiles resize in bursts (a window dragged, people coming): their sizes go to the server at most this often. */
const VIDEO_SIZE_DEBOUNCE_MS = 300;
/** The protocol's bound on a `videoSize` side. */
const MAX_VIDEO_SIDE = 16384;
const REACTION_MS = 4_000;
/** How long a sentence about what happened to this person stays (`told`). */
const TOLD_MS = 10_000;
/** Used until `joined` says the server's grace: a resume is worth trying this long after a drop. */
const DEFAULT_RESUME_GRACE_MS = 20_000;
/** WebSocket close code 1012 (service restart, RFC 6455 section 7.4.1 via the IANA registry): Salotto drained. */
const SERVICE_RESTART = 1012;
/** `wrong_node` answers followed for one join or resume before giving up (an owner changing twice meanwhile). */
const MAX_NODE_HOPS = 3;

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

export type Phase = 'idle' | 'joining' | 'waiting' | 'in' | 'left' | 'over';

/** The room's WebSocket as the screens show it: up, or being reopened after a drop. */
export type Link = 'connected' | 'reconnecting';

export interface Reaction {
  id: number;
  participantId: string;
  emoji: string;
  at: number;
}

export class RoomClient extends RoomActions implements LiveRoom {
  phase: Phase = 'idle';
  link: Link = 'connected';
  info: Room | null = null;
  kind: RoomKind | null = null;
  participantId: string | null = null;
  role: string | null = null;
  myName = '';
  members = new Map<string, Member>();
  lobby: Knocker[] = [];
  invitation: FrameOf<'invited'> | null = null;
  locked = false;
  audience: number | null = null;
  /** The refusal or ending that closed the room for this person (removed, ended, denied, a join refused). */
  over: Notice | null = null;
  /** Salotto's message while it drains for a restart (`serverDraining`), shown until the room ends. */
  draining: string | null = null;
  removed: string | null = null;
  roomEnded: string | null = null;
  denied: string | null = null;
  /** Set when the host declined this person's request for the stage. */
  requestDeclined = false;
  /** What someone else just did to this person's place in the room, in words (room/told.ts); passes by itself. */
  told: string | null = null;
  #toldTimer = 0;
  /** This person's own move (left the stage, accepted an invitation): its role change needs no sentence. */
  #ownMove = false;
  waiting = false;
  /** The server's words while this person waits (a knock room's lobby, a live's backstage). */
  waitingMessage: string | null = null;
  ready = false;
  micOn = true;
  cameraOn = true;
  /** Who speaks now (the rings), from the server's `activeSpeakers`. */
  speaking = new Set<string>();
  /** Who holds the floor (the call's highlighted tile), from the server's `activeSpeakers`; null before anyone spoke. */
  dominant: string | null = null;
  /** The sources others have turned off (their `trackMuted`), by participant id: a muted mic icon, an avatar. */
  muted = new Map<string, Set<Source>>();
  /** The videos the server has paused for us because our connection has no room for them (`trackPaused`), by trackId. */
  pausedVideos = new Set<string>();
  reactions: Reaction[] = [];
  errors: FrameOf<'error'>[] = [];
  /** The origin of the node the room's socket is open on (with a cluster, not always the page's own). */
  connectedTo: string | null = null;
  /** Times the socket came back: as the same participant (`resumed`), or by joining afresh. */
  resumes = 0;
  rejoins = 0;

  devices: DeviceChoice | null = null;
  signaling: Signaling | null = null;
  publishing: Publishing | null = null;
  readonly remote = new RemoteMedia({ roleOf: (id) => this.members.get(id)?.role, changed: () => this.changed() });
  #resumeToken: string | null = null;
  /**
   * With a cluster, the origin of the node that runs this room (an `error` `wrong_node` named it); null: the node
   * that answers (nodes.ts: the page's own while it can be reached), which sends us on if the room runs elsewhere.
   */
  #node: string | null = null;
  #resumeGraceMs = DEFAULT_RESUME_GRACE_MS;
  readonly #reconnector: Reconnector = new Reconnector({
    inRoom: () => this.phase === 'in',
    graceMs: () => this.#resumeGraceMs,
    resume: () => this.#resume(),
    rejoin: () => this.#rejoin(),
    refused: (error) => this.#refused(error),
    reconnecting: (on) => {
      this.link = on ? 'reconnecting' : 'connected';
      this.changed();
    },
    drop: () => this.signaling?.drop(),
  });
  /** Our camera and mic between a lost publisher connection and the new one of a fresh join. */
  #keptStream: MediaStream | null = null;
  #onEntry: { resolve: (frame: Snapshot) => void; reject: (error: Error) => void } | null = null;
  #timers: number[] = [];
  /** The size each remote video is shown at (trackId to size), and what the server was last told of each. */
  #videoSizes = new Map<string, { width: number; height: number }>();
  #sentVideoSizes = new Map<string, string>();
  #videoSizeTimer = 0;
  #nextReaction = 1;

  /** A live's comments, badges and earnings (src/live). */
  readonly live: Live;

  constructor(room: string) {
    super(room);
    this.live = new Live(this);
    this.live.onActionError = (text) => this.showBanner(text);
  }

  /**
   * The size, in device pixels, a remote video is shown at: the server picks its simulcast layer from it
   * (`videoSize`). Debounced; a size the server already has is not sent again.
   */
  setVideoSize(trackId: string, width: number, height: number): void {
    const side = (n: number) => Math.min(MAX_VIDEO_SIDE, Math.max(0, Math.round(n)));
    this.#videoSizes.set(trackId, { width: side(width), height: side(height) });
    if (!this.#videoSizeTimer) {
      this.#videoSizeTimer = window.setTimeout(() => this.#flushVideoSizes(), VIDEO_SIZE_DEBOUNCE_MS);
    }
  }

  /** The tile of a track is gone: nothing more to tell about it. */
  forgetVideoSize(trackId: string): void {
    this.#videoSizes.delete(trackId);
    this.#sentVideoSizes.delete(trackId);
  }

  #flushVideoSizes() {
    this.#videoSizeTimer = 0;
    if (!this.signaling) return;
    for (const [trackId, { width, height }] of this.#videoSizes) {
      const said = `${width}x${height}`;
      if (this.#sentVideoSizes.get(trackId) === said) continue;
      this.signaling.send({ type: 'videoSize', trackId, width, height });
      this.#sentVideoSizes.set(trackId, said);
    }
  }

  /** A frame of the live's (comment, react) on the room's socket. */
  sendFrame(frame: ClientFrame): void {
    this.signaling?.send(frame);
  }

  /** Whether this live is still backstage (practice): only the host and the guests invited are in. */
  get practice(): boolean {
    return Boolean(this.info?.practice);
  }

  // ---- what the screens read ----

  get onStage(): boolean {
    return Boolean(this.role) && !isAudience(this.role!);
  }

  get amHostOrCoHost(): boolean {
    return this.role === 'host' || this.role === 'co_host';
  }

  get publisher(): RTCPeerConnection | null {
    return this.publishing?.pc ?? null;
  }

  get localStream(): MediaStream | null {
    return this.publishing?.stream ?? null;
  }

  get sharing(): boolean {
    return this.publishing?.sharing ?? false;
  }

  get tiles(): Map<string, Tile> {
    return this.remote.tiles;
  }

  get me(): Member | undefined {
    return this.participantId ? this.members.get(this.participantId) : undefined;
  }

  /**
   * The audience: viewers of a live (and its moderator), listeners of a space. Salotto's count: past its listed
   * audience, listeners are counted, not listed (docs/protocol.md "A large audience"), so the members we know of are
   * fewer.
   */
  get audienceCount(): number {
    if (this.audience !== null) return this.audience;
    let n = 0;
    for (const m of this.members.values()) if (isAudience(m.role)) n++;
    return n;
  }

  get screenShareAllowed(): boolean {
    return this.kind === 'call' && this.members.size <= 10;
  }

  static isAudience(role: string): boolean {
    return isAudience(role);
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
    this.#reconnector.start();
    try {
      await this.#enter();
      this.#timers.push(window.setInterval(() => this.signaling?.send({ type: 'ping' }), PING_INTERVAL_MS));
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
      this.#refused(error);
    }
  }

  /** A join token over HTTP, a new socket, `join`, and the snapshot of `joined` applied. */
  async #enter(): Promise<void> {
    if (!(await me(true))) await ensureGuest();
    const { token } = await api<JoinAnswer>('POST', roomPath(this.room, '/join'), { displayName: this.myName } satisfies JoinRequest);
    this.remote.open();
    this.#onJoined(await this.#connect({ type: 'join', token }));
  }

  /**
   * A new socket and its first frame (`join` or `resume`). With a cluster, a node that does not run the room answers
   * `error` `wrong_node` with the `nodeUrl` of the one that does, before spending the token: the same frame goes
   * there on a new socket (docs/protocol.md "Several nodes"), and later sockets go there directly.
   */
  async #connect(frame: ClientFrame): Promise<Snapshot> {
    for (let hop = 0; ; hop++) {
      const signaling = await this.#open();
      try {
        return await this.#firstFrame(signaling, frame);
      } catch (error) {
        const refused = (error as { frame?: FrameOf<'error'> }).frame;
        const owner = refused?.code === 'wrong_node' && refused.nodeUrl ? originOf(refused.nodeUrl) : null;
        if (!owner || hop >= MAX_NODE_HOPS) throw error;
        this.#node = owner;
      }
    }
  }

  /**
   * A new socket: on the room's node if a `wrong_node` named one, else (or if it is out of reach) on the node that
   * answered last (the page's own until it was lost), then on the cluster's other nodes in the order of `nodes`
   * (nodes.ts). Whichever takes it sends us on to the room's node if the room runs elsewhere.
   */
  async #open(): Promise<Signaling> {
    const bases = this.#node ? [this.#node] : [];
    for (const base of nodeOrder()) if (!bases.includes(base)) bases.push(base);
    let signaling: Signaling | null = null;
    let failure: unknown;
    for (const base of bases) {
      try {
        signaling = await Signaling.open(this.#webSocketUrl(base));
      } catch (error) {
        // The room's node out of reach (lost): another node knows the new owner.
        if (base === this.#node) this.#node = null;
        failure = error;
        continue;
      }
      if (base !== this.#node) answered(base);
      this.connectedTo = base;
      break;
    }
    if (!signaling) throw failure;
    const older = this.signaling;
    this.signaling = signaling;
    this.#listen(signaling);
    older?.drop(); // a socket of an attempt that failed half-way
    return signaling;
  }

  /** Sends `join` or `resume` and waits for `joined`/`resumed` (through the lobby, for a knock room). */
  async #firstFrame(signaling: Signaling, frame: ClientFrame): Promise<Snapshot> {
    try {
      return await new Promise<Snapshot>((resolve, reject) => {
        this.#onEntry = { resolve, reject };
        signaling.send(frame);
      });
    } finally {
      this.#onEntry = null;
    }
  }

  #refused(error: unknown) {
    if ((this.phase as Phase) !== 'over') {
      const code = error instanceof ApiError ? error.code : (error as any)?.frame?.code ?? 'join_failed';
      this.finish(code === 'no_devices' ? (error as any).notice : notice(code, (error as Error).message));
    }
    this.#close();
  }

  #webSocketUrl(node: string): string {
    const base = new URL(node);
    const scheme = base.protocol === 'https:' ? 'wss' : 'ws';
    return `${scheme}://${base.host}/ws/rooms/${encodeURIComponent(this.room)}`;
  }

  /** The snapshot of `joined` or `resumed`: who is here, our role, the tracks, the lobby. */
  #onJoined(joined: Snapshot) {
    // A new session (or one resumed after a gap) may not have our sizes: tell them again.
    this.#sentVideoSizes.clear();
    if (this.#videoSizes.size && !this.#videoSizeTimer) {
      this.#videoSizeTimer = window.setTimeout(() => this.#flushVideoSizes(), VIDEO_SIZE_DEBOUNCE_MS);
    }
    this.waiting = false;
    this.phase = 'in';
    const wasOnStage = this.onStage;
    this.participantId = joined.participantId;
    this.role = joined.role;
    this.info = joined.room;
    this.kind = joined.room.kind;
    this.locked = joined.room.locked;
    const { people, onStage } = joined.room;
    this.audience = this.kind !== 'call' && people != null && onStage != null ? people - onStage : null;
    this.#resumeToken = joined.resumeToken ?? null;
    this.#resumeGraceMs = joined.resumeGraceMs ?? DEFAULT_RESUME_GRACE_MS;
    learnNodes(joined.nodes); // where to come back through if this node is lost
    const now = new Map<string, Member>(joined.members.map((m: Member) => [m.participantId, m]));
    for (const id of this.members.keys()) if (!now.has(id)) this.remote.removeParticipant(id);
    this.members = now;
    this.muted = new Map();
    for (const track of joined.tracks ?? []) {
      this.remote.sources.set(track.trackId, track.source);
      if (track.muted) this.#setMuted(track.participantId, track.source, true);
    }
    for (const member of now.values()) {
      if (member.participantId !== this.participantId) this.remote.addParticipant(member.participantId, member.name);
    }
    this.lobby = joined.lobby ?? [];
    if (wasOnStage && !this.onStage) this.#stopPublishing(); // taken off the stage while we were away
    if (this.kind === 'live') {
      this.live.reset(joined);
      if (this.onStage) void this.live.refreshMoney();
    }
    this.changed();
  }

  #listen(signaling: Signaling) {
    // A socket we have replaced (after a drop) may still deliver its last frames: only the current one counts.
    const current = <T>(handler: (frame: T) => void) => (frame: T) => {
      if (signaling === this.signaling) handler(frame);
    };
    signaling
      .on('joined', current((frame) => this.#onEntry?.resolve(frame)))
      .on('resumed', current((frame) => this.#onEntry?.resolve(frame)))
      .on('waiting', current((frame) => {
        this.waiting = true;
        this.waitingMessage = frame.message;
        this.phase = 'waiting';
        this.changed();
      }))
      .on('admitted', current(() => this.changed()))
      .on('denied', current((frame) => {
        this.denied = frame.message;
        this.finish(notice('denied'));
        this.#onEntry?.reject(new Error(frame.message));
      }))
      .on('removed', current((frame) => {
        this.removed = frame.message;
        // A block says so in its message (RoomMachine.remove): the person learns they cannot come to these rooms.
        this.finish(/\bblocked\b/i.test(frame.message)
          ? { code: 'blocked', title: 'You were blocked', text: capitalise(frame.message) }
          : notice('removed'));
      }))
      .on('roomEnded', current((frame) => {
        this.roomEnded = frame.message;
        this.finish(this.draining !== null ? notice('server_restarted', frame.message)
          : { ...notice('room_ended'), text: capitalise(frame.message) });
      }))
      .on('serverDraining', current((frame) => {
        this.draining = frame.message ?? '';
        this.changed();
      }))
      .on('invited', current((frame) => {
        this.invitation = frame;
        this.changed();
      }))
      .on('lobby', current((frame) => {
        this.lobby = frame.waiting;
        this.changed();
      }))
      .on('roomEvents', current((frame) => {
        for (const event of frame.events) if (!this.live.apply(event)) this.#onRoomEvent(event);
        this.changed();
      }))
      .on('activeSpeakers', current((frame) => {
        // The server hears everyone's microphone, ours included (docs/protocol.md "Active speakers").
        this.speaking = new Set(frame.speakers.map((s) => s.participantId));
        this.dominant = frame.dominant;
        this.changed();
      }))
      .on('stageSlots', current((frame) => {
        // A live's viewer: the stage's cameras come on fixed video slots too, mapped to people like the audio ones.
        this.remote.setStageSlots([...frame.audio, ...frame.video]);
      }))
      .on('trackPublished', current((frame) => {
        this.remote.sources.set(frame.trackId, frame.source);
        this.#setMuted(frame.participantId, frame.source, frame.muted === true);
        this.changed();
      }))
      .on('trackPaused', current((frame) => {
        if (frame.paused) this.pausedVideos.add(frame.trackId);
        else this.pausedVideos.delete(frame.trackId);
        this.changed();
      }))
      .on('trackUnpublished', current((frame) => {
        this.pausedVideos.delete(frame.trackId);
        this.remote.unpublish(frame.participantId, frame.trackId);
        this.changed();
      }))
      .on('trackMuted', current((frame) => {
        this.#setMuted(frame.participantId, frame.source, frame.muted);
        this.changed();
      }))
      .on('subscribeOffer', current((frame) => {
        this.remote.onOffer(frame, (answer) => signaling.send(answer), (error) => {
          this.showBanner(`Could not receive the others' media: ${error.message}`);
        });
      }))
      .on('transportClosed', current((frame) => this.#onTransportClosed(frame)))
      // Dynacast: layers of our camera nobody receives are paused (docs/protocol.md "Dynacast").
      .on('publisherLayers', current((frame) => { this.publishing?.setActiveLayers(frame.mid, frame.active); }))
      .on('error', current((frame) => {
        if (frame.code !== 'wrong_node') this.errors.push(frame); // followed (#connect), not a refusal
        if (this.#onEntry && !frame.ref) {
          this.#onEntry.reject(Object.assign(new Error(frame.message), { frame }));
          return;
        }
        if (frame.code === 'wrong_node' && frame.nodeUrl) {
          // A listener served by another node, brought on stage: this socket closes and we join again on the room's
          // node (docs/protocol.md "A space's listener served by another node").
          this.#node = originOf(frame.nodeUrl);
          return;
        }
        if (this.live.onError(frame)) return; // a refused comment: told under the comment box
        if (frame.code === 'replaced') this.finish(notice('replaced'));
        else this.showBanner(capitalise(frame.message));
      }))
      .on('close', current((event: CloseEvent) => this.#onSocketClosed(event)));
  }

  // ---- coming back after a drop ----

  #onSocketClosed(event: CloseEvent) {
    this.#onEntry?.reject(new Error('the connection closed'));
    if (this.phase !== 'in' && this.phase !== 'waiting') return; // left, or over: removed, ended, denied, replaced
    if (event.code === SERVICE_RESTART || this.draining !== null) {
      this.finish(notice('server_restarted', this.draining || event.reason));
      return;
    }
    if (this.phase === 'waiting') {
      this.finish({ code: 'closed', title: 'You were disconnected',
        text: `The connection to Salotto closed${event.reason ? `: ${event.reason}` : ''}. Rejoin to come back.` });
      return;
    }
    void this.#reconnector.run(!this.#resumeToken); // without a resume token, only a fresh join can bring us back
  }

  /** The same participant on a new socket: the snapshot applied over what is on screen, ICE restarted. */
  async #resume(): Promise<void> {
    const resumed = await this.#connect({ type: 'resume', token: this.#resumeToken! });
    const before = this.participantId;
    this.#onJoined(resumed);
    if (resumed.participantId !== before) console.warn('salotto: resumed as someone else', before, resumed.participantId);
    this.resumes++;
    // Salotto restarts ICE on the subscriber connection with a fresh offer; the publisher side is ours to restart.
    if (this.publishing) {
      // Back in a room that changed hands the node is new: its transportClosed has us publish on a new connection.
      if (!resumed.returned) await this.publishing.negotiate(true).catch(() => this.publishing?.reconnect());
    } else if (this.onStage && this.ready) {
      await this.#startPublishing(null).catch((error) => this.#cannotPublish(error));
    }
  }

  /** Salotto no longer has us: a new join token, a new socket, new peer connections. */
  async #rejoin(): Promise<void> {
    // The camera and mic stay on: they go on the new publisher connection if we are on stage again.
    if (this.publishing) {
      this.#keptStream = this.publishing.stream;
      this.publishing.pc.close();
      this.publishing = null;
    }
    this.remote.close();
    this.remote.tiles.delete('self');
    this.members = new Map();
    this.participantId = null;
    this.role = null;
    await this.#enter();
    this.rejoins++;
    const stream = this.#keptStream;
    this.#keptStream = null;
    if (this.onStage) await this.#startPublishing(stream).catch((error) => this.#cannotPublish(error));
    else for (const track of stream?.getTracks() ?? []) track.stop();
  }

  /** Salotto closed one of our media connections; we stay in the room. */
  #onTransportClosed(frame: FrameOf<'transportClosed'>) {
    if (frame.connection === 'publisher' && this.publishing && this.onStage) {
      this.publishing.reconnect().catch((error) => this.showBanner(`Could not publish again: ${error.message}`));
    }
    // The subscriber side: Salotto's next subscribeOffer says newConnection, and RemoteMedia answers it on a new one.
  }

  // ---- room events ----

  /** Room events, batched by the server: presence, roles, hands, lock state, reactions. */
  #onRoomEvent(event: RoomEventFrame) {
    applyRoomEvent(this, event, {
      myRoleChanged: (role) => void this.#onMyRoleChanged(role),
      reaction: (participantId, emoji) => this.#addReaction(participantId, emoji),
    });
  }

  #addReaction(participantId: string, emoji: string) {
    const reaction = { id: this.#nextReaction++, participantId, emoji, at: Date.now() };
    this.reactions = [...this.reactions.slice(-19), reaction];
    window.setTimeout(() => {
      this.reactions = this.reactions.filter((r) => r !== reaction);
      this.changed();
    }, REACTION_MS);
  }

  /**
   * On stage: start publishing. Off stage (we left it, or a host took us off): close only the publisher connection;
   * the subscriber connection, and with it the stage's pictures and voices, carries on.
   */
  async #onMyRoleChanged(role: string) {
    const wasOnStage = this.onStage;
    const sentence = roleSentence(this.kind, this.role, role, this.#ownMove);
    this.#ownMove = false;
    if (sentence) this.tell(sentence);
    this.role = role;
    if (this.kind === 'live' && (role === 'host' || role === 'guest')) void this.live.refreshMoney();
    if (!wasOnStage && this.onStage) {
      this.invitation = null;
      await this.#startPublishing(null).catch((error) => this.#cannotPublish(error));
    } else if (wasOnStage && !this.onStage) {
      this.#stopPublishing();
    }
    this.changed();
  }

  #cannotPublish(error: any) {
    const n = error?.notice as Notice | undefined;
    this.showBanner(n ? `${n.title}: ${n.text}` : `Could not start publishing: ${error.message}`);
  }

  // ---- publishing ----

  async #startPublishing(preview: MediaStream | null) {
    if (this.publishing) return;
    const stream = await capture(preview, this.devices, this.kind === 'space', this.role === 'host');
    for (const track of stream.getAudioTracks()) track.enabled = this.micOn;
    for (const track of stream.getVideoTracks()) track.enabled = this.cameraOn;
    const publishing = new Publishing(stream, (frame) => this.signaling!.request(frame, 'publishAnswer'));
    this.publishing = publishing;
    this.#setSelfTile();
    // Published turned off (joined muted, or a new participant after a rejoin): the others' tiles must say so.
    if (!this.micOn) this.signaling?.send({ type: 'mute', source: 'mic', muted: true });
    if (!this.cameraOn) this.signaling?.send({ type: 'mute', source: 'camera', muted: true });
    await publishing.negotiate();
    this.changed();
  }

  #setSelfTile() {
    const stream = this.localStream!;
    this.remote.tiles.set('self', { key: 'self', participantId: this.participantId!, name: this.myName, self: true,
      screen: false, stream, tracks: stream.getTracks() });
  }

  #stopPublishing() {
    this.publishing?.close();
    this.publishing = null;
    this.remote.tiles.delete('self');
  }

  toggleMic(): void {
    this.micOn = !this.micOn;
    for (const track of this.localStream?.getAudioTracks() ?? []) track.enabled = this.micOn; // silence is sent
    this.signaling?.send({ type: 'mute', source: 'mic', muted: !this.micOn });
    this.changed();
  }

  toggleCamera(): void {
    this.cameraOn = !this.cameraOn;
    for (const track of this.localStream?.getVideoTracks() ?? []) track.enabled = this.cameraOn; // black frames
    this.signaling?.send({ type: 'mute', source: 'camera', muted: !this.cameraOn });
    this.changed();
  }

  /** Whether the server has paused this remote video for want of bandwidth on our side (`trackPaused`). */
  isVideoPaused(trackId: string | undefined): boolean {
    return trackId !== undefined && this.pausedVideos.has(trackId);
  }

  /** Whether someone else has turned this source off (`trackMuted`). */
  isMuted(participantId: string, source: Source): boolean {
    return this.muted.get(participantId)?.has(source) ?? false;
  }

  #setMuted(participantId: string, source: Source, muted: boolean) {
    const sources = this.muted.get(participantId) ?? new Set<Source>();
    if (muted) sources.add(source);
    else sources.delete(source);
    if (sources.size > 0) this.muted.set(participantId, sources);
    else this.muted.delete(participantId);
  }

  /** Starts or stops sharing the screen: one more video track on the publisher connection, marked as "screen". */
  async toggleScreenShare(): Promise<void> {
    if (this.sharing) {
      await this.#stopScreenShare();
      return;
    }
    const publishing = this.publishing;
    if (!publishing) return;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (error) {
      this.showBanner(`Screen sharing did not start: ${(error as Error).message}`);
      return;
    }
    const [track] = stream.getVideoTracks();
    publishing.addScreen(track, stream);
    track.addEventListener('ended', () => this.#stopScreenShare()); // the browser's own "stop sharing"
    this.changed();
    try {
      await publishing.negotiate();
    } catch (error) {
      await this.#stopScreenShare();
      const frame = (error as any)?.frame;
      this.showBanner(frame ? capitalise(frame.message) : (error as Error).message);
    }
  }

  async #stopScreenShare() {
    const publishing = this.publishing;
    if (!publishing?.removeScreen()) return;
    this.changed();
    if (this.phase === 'in' && this.publishing === publishing) await publishing.negotiate();
  }

  // ---- actions over the socket (the HTTP ones are RoomActions') ----

  raiseHand(): void {
    this.requestDeclined = false;
    this.signaling?.send({ type: this.me?.handRaised ? 'lowerHand' : 'raiseHand' });
  }

  /** Shows a sentence about what happened to this person for a while (`told`). */
  tell(sentence: string | null): void {
    clearTimeout(this.#toldTimer);
    this.told = sentence;
    if (sentence) this.#toldTimer = window.setTimeout(() => { this.told = null; this.changed(); }, TOLD_MS);
    this.changed();
  }

  answerInvitation(accept: boolean): void {
    this.#ownMove = accept;
    this.invitation = null;
    this.signaling?.send({ type: accept ? 'acceptInvitation' : 'declineInvitation' });
    this.changed();
  }

  leaveStage(): void {
    this.#ownMove = true;
    this.signaling?.send({ type: 'leaveStage' });
  }

  react(emoji: string): void {
    this.signaling?.send({ type: 'react', emoji });
  }

  /** The room is over for this person: removed, ended, denied, refused, the server restarted. */
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
    clearTimeout(this.#videoSizeTimer);
    this.#videoSizeTimer = 0;
    this.#videoSizes.clear();
    this.#sentVideoSizes.clear();
    this.#reconnector.stop();
    this.publishing?.close();
    this.publishing = null;
    for (const track of this.#keptStream?.getTracks() ?? []) track.stop();
    this.#keptStream = null;
    this.remote.close();
    this.remote.tiles.clear();
    this.signaling?.close();
    this.speaking = new Set();
    this.dominant = null;
    this.muted = new Map();
  }
}
