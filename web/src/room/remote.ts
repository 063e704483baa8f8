// What a person receives: the subscriber connection (Salotto offers everyone else's tracks, we answer) and the tiles
// of the people on stage. Which remote track belongs to whom is read from the `a=msid:<participantId> <trackId>` line
// of each m-section of the subscriber offer, keyed by mid, because a browser may give a receiver's track an id of its
// own and keeps the same receiver when a later track reuses an m-section.
//
// The connection outlives the WebSocket: after a resume Salotto restarts its ICE with a fresh offer, answered here
// like any other. When Salotto had to close it (`transportClosed`), its next offer says `newConnection` and is
// answered on a new RTCPeerConnection, the tiles rebuilt from that offer.

import { PEER_CONNECTION_CONFIG } from '../media';
import { parseMediaSections } from '../sdp';
import type { ClientFrame, FrameOf } from '../signaling';

/**
 * The a=msid stream id of an audience member's fixed slots (`stageSlots` says whom each carries): audio slots
 * (`audio-<n>`, the loudest speakers) and, for a live's viewer, video slots (`video-<n>`, the stage's cameras). A
 * slot's receiver goes in the tile of the person it carries now; a silent slot is in nobody's tile; the tile's
 * `videoTrackId` is the slot's, so its size (`videoSize`) goes to the slot, whoever it carries.
 */
const SLOT_STREAM = '~stage';

const AUDIENCE_ROLES = new Set(['listener', 'viewer', 'moderator']);

export function isAudience(role: string): boolean {
  return AUDIENCE_ROLES.has(role);
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
  /** The server's trackId of the video shown here (a remote tile), for `videoSize`. */
  videoTrackId?: string;
}

export interface Receiving {
  participantId: string;
  trackId: string;
  kind: string;
  transceiver: RTCRtpTransceiver;
}

/** What the remote side needs of the room: people's roles, and telling the screens that the tiles changed. */
export interface RoomView {
  roleOf(participantId: string): string | undefined;
  changed(): void;
}

export class RemoteMedia {
  pc: RTCPeerConnection | null = null;
  readonly tiles = new Map<string, Tile>();
  readonly receiving = new Map<string, Receiving>(); // mid -> whose track
  readonly sources = new Map<string, string>(); // trackId -> 'mic' | 'camera' | 'screen'
  readonly endedTracks: { participantId: string; trackId: string; kind: string; endedAt: number; reason: string }[] = [];
  readonly leftParticipants: { participantId: string; at: number }[] = [];
  /** Everyone seen leaving (`memberLeft`, or missing from a later snapshot), tile or not. */
  readonly departures: { participantId: string; at: number }[] = [];
  /** Subscriber offers answered on a new connection (after `transportClosed`). */
  newConnections = 0;
  /** Subscriber offers received (a live's viewer on fixed slots gets one for all the stage's comings and goings). */
  offers = 0;
  #names = new Map<string, string>(); // participantId -> display name, for everyone else
  /** An audience member's fixed slots: slot trackId -> its m-section, and whom each carries (`stageSlots`). */
  #slotSections = new Map<string, { mid: string; kind: string; transceiver: RTCRtpTransceiver }>();
  #slotOwners = new Map<string, string | null>();
  /** Tracks Salotto said ended (`trackUnpublished`) whose m-section the next offer has not closed yet. */
  #unpublished = new Set<string>();
  #work: Promise<void> = Promise.resolve();
  readonly #room: RoomView;

  constructor(room: RoomView) {
    this.#room = room;
  }

  /** Ready before `join`: Salotto may send its first subscribeOffer right after `joined`. */
  open(): void {
    this.pc = new RTCPeerConnection(PEER_CONNECTION_CONFIG);
  }

  /** Answers offers one at a time, in order, even if a new one arrives while the last is being answered. */
  onOffer(frame: FrameOf<'subscribeOffer'>, send: (answer: ClientFrame) => void, onError: (error: Error) => void): void {
    this.offers++;
    this.#work = this.#work.then(() => this.#answer(frame, send)).catch(onError);
  }

  async #answer({ sdp, version, newConnection }: FrameOf<'subscribeOffer'>, send: (answer: ClientFrame) => void) {
    if (!this.pc || this.pc.signalingState === 'closed') {
      this.pc = new RTCPeerConnection(PEER_CONNECTION_CONFIG);
      this.receiving.clear();
      this.#slotSections.clear();
    } else if (newConnection && this.pc.remoteDescription) {
      // The old connection is gone on Salotto's side: its receivers will never get a packet again.
      this.pc.close();
      this.pc = new RTCPeerConnection(PEER_CONNECTION_CONFIG);
      this.receiving.clear();
      this.#slotSections.clear();
      this.newConnections++;
    }
    const pc = this.pc;
    await pc.setRemoteDescription({ type: 'offer', sdp });
    // Tracks end here: this is when the browser mutes the receivers of m-sections that turned inactive.
    this.#update(parseMediaSections(sdp));
    await pc.setLocalDescription(await pc.createAnswer());
    send({ type: 'subscribeAnswer', sdp: pc.localDescription!.sdp, version });
  }

  /** Brings `receiving` in line with a new subscriber offer and records the tracks that ended. */
  #update(sections: ReturnType<typeof parseMediaSections>) {
    const now = Date.now();
    const changed = new Set<string>(this.#names.keys()); // a new connection: every tile takes its new tracks
    const transceivers = this.pc!.getTransceivers();
    for (const section of sections) {
      if (!section.mid) continue;
      if (section.participantId === SLOT_STREAM && section.trackId) {
        // A fixed slot: its track goes to whoever `stageSlots` says it carries, without a new offer.
        const transceiver = transceivers.find((t) => t.mid === section.mid);
        if (transceiver) this.#slotSections.set(section.trackId, { mid: section.mid, kind: section.kind, transceiver });
        continue;
      }
      if ([...this.#slotSections.values()].some((s) => s.mid === section.mid)) {
        // The slot's m-section now carries a track of its own (this person went on stage): no longer a slot.
        for (const [id, s] of this.#slotSections) if (s.mid === section.mid) this.#slotSections.delete(id);
      }
      const before = this.receiving.get(section.mid);
      const sending = (section.direction === 'sendonly' || section.direction === 'sendrecv')
        && section.participantId && section.trackId;
      const transceiver = transceivers.find((t) => t.mid === section.mid);
      if (before && sending && before.trackId === section.trackId && before.participantId === section.participantId
        && before.transceiver === transceiver) {
        continue;
      }
      if (before) {
        this.receiving.delete(section.mid);
        this.#unpublished.delete(before.trackId);
        this.endedTracks.push({
          participantId: before.participantId, trackId: before.trackId, kind: before.kind,
          endedAt: now, reason: sending ? 'replaced' : 'inactive',
        });
        changed.add(before.participantId);
      }
      if (sending && transceiver) {
        this.receiving.set(section.mid, {
          participantId: section.participantId!, trackId: section.trackId!, kind: section.kind, transceiver,
        });
        changed.add(section.participantId!);
      }
    }
    for (const participantId of changed) this.refresh(participantId);
    this.#applySlots();
    this.#room.changed();
  }

  /** `stageSlots`: whom each of our fixed slots (audio, and a live's video) carries now. */
  setStageSlots(slots: { trackId: string; participantId: string | null }[]): void {
    for (const slot of slots) this.#slotOwners.set(slot.trackId, slot.participantId);
    this.#applySlots();
    this.#room.changed();
  }

  /** Puts each slot's receiver under the person it carries now (their tile plays it; the stats name them). */
  #applySlots() {
    const changed = new Set<string>();
    for (const [trackId, section] of this.#slotSections) {
      const owner = this.#slotOwners.get(trackId) ?? null;
      const before = this.receiving.get(section.mid);
      if (before && before.participantId === owner && before.transceiver === section.transceiver) continue;
      if (before) {
        this.receiving.delete(section.mid);
        this.endedTracks.push({ participantId: before.participantId, trackId, kind: before.kind, endedAt: Date.now(), reason: 'slot' });
        changed.add(before.participantId);
      }
      if (owner) {
        this.receiving.set(section.mid, { participantId: owner, trackId, kind: section.kind, transceiver: section.transceiver });
        changed.add(owner);
      }
    }
    for (const participantId of changed) this.refresh(participantId);
  }

  addParticipant(participantId: string, name: string): void {
    this.#names.set(participantId, name);
    this.refresh(participantId);
  }

  removeParticipant(participantId: string): void {
    this.departures.push({ participantId, at: Date.now() });
    this.#names.delete(participantId);
    this.tiles.delete(`${participantId}:screen`);
    if (this.tiles.delete(participantId)) this.leftParticipants.push({ participantId, at: Date.now() });
  }

  /**
   * A track ended (`trackUnpublished`): its tile changes now (a shared screen leaves the stage at once), not only once
   * the next subscriber offer, which closes its m-section, has been applied.
   */
  unpublish(participantId: string, trackId: string): void {
    this.#unpublished.add(trackId);
    this.refresh(participantId);
  }

  knows(participantId: string): boolean {
    return this.#names.has(participantId);
  }

  /** The receivers of one remote person: camera and mic in their tile, a shared screen in a tile of its own. */
  refresh(participantId: string): void {
    const name = this.#names.get(participantId);
    if (name === undefined) return; // gone, or not announced yet
    const received = [...this.receiving.values()]
      .filter((r) => r.participantId === participantId && !this.#unpublished.has(r.trackId));
    const isScreen = (r: Receiving) => this.sources.get(r.trackId) === 'screen';
    const role = this.#room.roleOf(participantId);
    const onStageNow = role ? !isAudience(role) : true;
    // Only people on stage get a tile; the audience is in the people list.
    this.#updateTile(participantId, participantId, name, received.filter((r) => !isScreen(r)), onStageNow, false);
    const screen = received.filter(isScreen);
    const screenKey = `${participantId}:screen`;
    if (screen.length) this.#updateTile(screenKey, participantId, name, screen, true, true);
    else this.tiles.delete(screenKey);
  }

  #updateTile(key: string, participantId: string, name: string, received: Receiving[], keepEmpty: boolean, screen: boolean) {
    const tracks = received.map((r) => r.transceiver.receiver.track);
    if (!tracks.length && !keepEmpty) {
      this.tiles.delete(key);
      return;
    }
    const tile = this.tiles.get(key);
    const same = tile && tile.tracks.length === tracks.length && tracks.every((t) => tile.tracks.includes(t));
    const stream = same ? tile!.stream : (tracks.length ? new MediaStream(tracks) : null);
    const videoTrackId = received.find((r) => r.kind === 'video')?.trackId;
    this.tiles.set(key, { key, participantId, name, self: false, screen, stream, tracks, videoTrackId });
  }

  close(): void {
    this.pc?.close();
    this.pc = null;
    this.receiving.clear();
    this.#unpublished.clear();
    this.#names.clear();
    for (const key of [...this.tiles.keys()]) if (key !== 'self') this.tiles.delete(key);
  }
}
