// The room WebSocket's frames (docs/protocol.md), generated from server/src/main/resources/asyncapi.json
// by org.salotto.signaling.protocol.ProtocolSchema: do not edit. server's ProtocolDocumentsTest says how to regenerate.

export type ClientFrame =
  | Join
  | Resume
  | Publish
  | SubscribeAnswer
  | VideoSize
  | Mute
  | Leave
  | RaiseHand
  | LowerHand
  | AcceptInvitation
  | DeclineInvitation
  | LeaveStage
  | React
  | CommentFrame
  | Ping;

/** enter the room (or its lobby) with a join token from the HTTP API; answered by joined or waiting */
export interface Join {
  type: "join";
  token: string;
  /** echoed as ref in the reply and in any error about this request */
  id?: string | number;
}

/** the first frame of a new socket after a drop: the same participant again; answered by resumed */
export interface Resume {
  type: "resume";
  /** the resumeToken of the last joined or resumed */
  token: string;
  /** echoed as ref in the reply and in any error about this request */
  id?: string | number;
}

/** publish (or renegotiate) on the publisher connection; answered by publishAnswer */
export interface Publish {
  type: "publish";
  /** a string holding an SDP offer (RFC 8866 text, lines ending in CRLF, as RTCPeerConnection.createOffer() gives it in RTCSessionDescription.sdp) for the publisher connection */
  sdp: string;
  /** an object of mid to source */
  sources?: Record<string, Source>;
  /** echoed as ref in the reply and in any error about this request */
  id?: string | number;
}

/** what a track comes from */
export type Source = "mic" | "camera" | "screen";

/** the answer to the subscribeOffer of that version */
export interface SubscribeAnswer {
  type: "subscribeAnswer";
  /** a string holding the SDP answer (RFC 8866 text, as RTCPeerConnection.createAnswer() gives it) to the subscribeOffer */
  sdp: string;
  /** the integer of the offer being answered */
  version: number;
  /** echoed as ref in the reply and in any error about this request */
  id?: string | number;
}

/** the size, in CSS pixels times devicePixelRatio, at which this client shows a video track it receives; the server sends it the smallest simulcast layer that covers it (0 by 0: not shown, the lowest layer). Send again when the tile changes size; no answer */
export interface VideoSize {
  type: "videoSize";
  /** the trackId of a video track you receive */
  trackId: string;
  width: number;
  height: number;
  /** echoed as ref in the reply and in any error about this request */
  id?: string | number;
}

/** your microphone, camera or screen is off (muted true: the track stays published, sending silence or black frames) or on again; the others get trackMuted. At most 20 changes per 10 s (rate_limited) */
export interface Mute {
  type: "mute";
  source: Source;
  muted: boolean;
  /** echoed as ref in the reply and in any error about this request */
  id?: string | number;
}

/** leave the room; the server closes the socket */
export interface Leave {
  type: "leave";
  /** echoed as ref in the reply and in any error about this request */
  id?: string | number;
}

/** audience: ask for the stage */
export interface RaiseHand {
  type: "raiseHand";
  /** echoed as ref in the reply and in any error about this request */
  id?: string | number;
}

/** take back a raised hand */
export interface LowerHand {
  type: "lowerHand";
  /** echoed as ref in the reply and in any error about this request */
  id?: string | number;
}

/** accept an invitation to the stage */
export interface AcceptInvitation {
  type: "acceptInvitation";
  /** echoed as ref in the reply and in any error about this request */
  id?: string | number;
}

/** decline an invitation to the stage */
export interface DeclineInvitation {
  type: "declineInvitation";
  /** echoed as ref in the reply and in any error about this request */
  id?: string | number;
}

/** a speaker, guest or co-host goes back to the audience */
export interface LeaveStage {
  type: "leaveStage";
  /** echoed as ref in the reply and in any error about this request */
  id?: string | number;
}

/** an emoji reaction everyone sees */
export interface React {
  type: "react";
  /** an emoji */
  emoji: string;
  /** echoed as ref in the reply and in any error about this request */
  id?: string | number;
}

/** a live: a comment, 1 to 300 characters once normalized; everyone (the sender too) gets it as the room event commentPosted; refused with comments_off, rate_limited or bad_request */
export interface CommentFrame {
  type: "comment";
  text: string;
  /** echoed as ref in the reply and in any error about this request */
  id?: string | number;
}

/** answered by pong */
export interface Ping {
  type: "ping";
  /** echoed as ref in the reply and in any error about this request */
  id?: string | number;
}

export type ServerFrame =
  | Snapshot
  | Waiting
  | Admitted
  | Denied
  | Removed
  | RoomEnded
  | ServerDraining
  | Invited
  | Lobby
  | RoomEvents
  | TrackPublished
  | TrackMuted
  | PublisherLayers
  | TrackPaused
  | TrackUnpublished
  | PublishAnswer
  | SubscribeOffer
  | TransportClosed
  | ActiveSpeakers
  | Pong
  | Error
  | StageSlots;

/** you are in (joined), or back on a new socket as the same participant (resumed) */
export interface Snapshot {
  type: SnapshotType;
  participantId: string;
  role: Role;
  /** what your join token lets you do (docs/protocol.md, "Grants"); your role narrows it further */
  grants: Grants;
  room: Room;
  members: Member[];
  /** every track published now */
  tracks: Track[];
  /** hosts and co-hosts: who waits in the lobby */
  lobby?: LobbyEntry[];
  /** opaque; send it in a resume frame on a new socket if this one drops */
  resumeToken: string;
  /** how long after a drop the resume token still works, in milliseconds */
  resumeGraceMs: number;
  /** a live only: its last 50 visible comments, oldest first */
  comments?: Comment[];
  /** a live only: the pinned comment; absent when none is */
  pinned?: Comment;
  /** a live only: true when comments are off for everyone but the host and the moderator */
  commentsOff?: boolean;
  /** a live only: the participant ids of the members whose comments are off */
  commentsOffFor?: string[];
  /** with a cluster only: the base URLs of its live nodes that take clients (not draining), the node that sent this first; where to come back through if that node cannot be reached (docs/protocol.md "Several nodes") */
  nodes?: string[];
  /** true, and only present, in a resumed from a room that changed hands (docs/protocol.md "A room that changed hands"): your media connections are new; publish again on a new connection, not by an ICE restart (a transportClosed follows) */
  returned?: boolean;
}

export type SnapshotType = "joined" | "resumed";

/** a person's role; on stage: host, co_host, participant (call), guest (live), speaker (space) */
export type Role = "host" | "co_host" | "moderator" | "participant" | "guest" | "speaker" | "viewer" | "listener";

/** what a participant's join token lets them do; the role narrows it further (a listener publishes nothing) */
export interface Grants {
  /** the sources you may publish, when your role allows them; [] for none */
  publish: Source[];
  /** you receive the others' media */
  subscribe: boolean;
  /** you may manage the room as a co-host does (the HTTP routes) */
  admin: boolean;
  /** the others do not see you, and you cannot publish */
  hidden: boolean;
}

/** a room, as the HTTP API shows it */
export interface Room {
  id: string;
  link: string;
  kind: RoomKind;
  title: string;
  activity: string;
  visibility: Visibility;
  state: RoomState;
  locked: boolean;
  knock: boolean;
  /** a live in its backstage: only the host and the guests let in are in until the host goes live */
  practice: boolean;
  hostAccountId: number;
  scheduledStart: string | null;
  createdAt: string;
  endedAt: string | null;
  /** how many are in it now (an integer): in HTTP answers and in joined and resumed (you included); absent in roomChanged, where memberJoined and memberLeft tell the changes */
  people?: number;
  /** how many of them are on stage (an integer), present where people is */
  onStage?: number;
}

export type RoomKind = "call" | "live" | "space";

export type Visibility = "public" | "private";

export type RoomState = "scheduled" | "open" | "ended";

/** a person in the room */
export interface Member {
  participantId: string;
  name: string;
  role: Role;
  guest: boolean;
  /** accounts only */
  accountId?: number;
  handRaised: boolean;
  /** the application's text about this person, from their join token's 'metadata' (at most 1 KiB) */
  metadata?: string;
}

/** a published track */
export interface Track {
  participantId: string;
  trackId: string;
  kind: MediaKind;
  source: Source;
  /** true (and only present) while its publisher has it turned off (mute) */
  muted?: boolean;
}

export type MediaKind = "audio" | "video";

/** someone waiting in the lobby */
export interface LobbyEntry {
  lobbyId: string;
  name: string;
  guest: boolean;
  since: string;
}

/** a comment in a live */
export interface Comment {
  id: string;
  /** the writer, as a participant of the live when they wrote it */
  participantId: string;
  /** the writer's display name */
  name: string;
  text: string;
  at: string;
  /** the hearts (1 to 3) of the best badge the writer had bought in this live; 0: none */
  badge: number;
  /** HTTP only, for the host and the moderator: true on a hidden comment */
  hidden?: boolean;
}

/** you wait in the lobby of a knock-mode room, or for a live in its backstage to start */
export interface Waiting {
  type: "waiting";
  lobbyId: string;
  message: string;
}

/** a host let you in; joined follows */
export interface Admitted {
  type: "admitted";
}

/** a host did not let you in; the socket closes */
export interface Denied {
  type: "denied";
  message: string;
}

/** you were removed (and cannot come back); the socket closes */
export interface Removed {
  type: "removed";
  message: string;
}

/** the room ended for everyone; the socket closes (code 1012 when the server is restarting) */
export interface RoomEnded {
  type: "roomEnded";
  message: string;
}

/** the server is stopping: joins are refused, and after the drain timeout the room ends */
export interface ServerDraining {
  type: "serverDraining";
  message: string;
}

/** a host invites you to the stage: answer with acceptInvitation or declineInvitation */
export interface Invited {
  type: "invited";
  by: string;
  message: string;
}

/** hosts and co-hosts: the lobby changed */
export interface Lobby {
  type: "lobby";
  waiting: LobbyEntry[];
}

/** what changed in the room, batched: apply in order */
export interface RoomEvents {
  type: "roomEvents";
  events: RoomEventFrame[];
}

export type RoomEventFrame =
  | MemberJoined
  | MemberLeft
  | RoleChanged
  | HandRaised
  | HandLowered
  | InvitationDeclined
  | LockChanged
  | KnockChanged
  | RoomChanged
  | Reaction
  | CommentPosted
  | CommentHidden
  | CommentPinned
  | CommentsChanged
  | MemberCommentsChanged
  | AudienceChanged
  | BadgeBought;

export interface MemberJoined {
  type: "memberJoined";
  member: Member;
}

export interface MemberLeft {
  type: "memberLeft";
  participantId: string;
}

export interface RoleChanged {
  type: "roleChanged";
  participantId: string;
  role: Role;
}

export interface HandRaised {
  type: "handRaised";
  participantId: string;
}

export interface HandLowered {
  type: "handLowered";
  participantId: string;
  /** true (and only present) when a host turned the request down */
  declined?: boolean;
}

export interface InvitationDeclined {
  type: "invitationDeclined";
  participantId: string;
}

export interface LockChanged {
  type: "lockChanged";
  locked: boolean;
}

export interface KnockChanged {
  type: "knockChanged";
  knock: boolean;
}

export interface RoomChanged {
  type: "roomChanged";
  room: Room;
}

export interface Reaction {
  type: "reaction";
  participantId: string;
  emoji: string;
}

/** a live: a new comment (the writer gets theirs here too) */
export interface CommentPosted {
  type: "commentPosted";
  comment: Comment;
}

/** a live: a comment is hidden, gone for everyone */
export interface CommentHidden {
  type: "commentHidden";
  commentId: string;
}

/** a live: this comment is pinned now, or none is (null) */
export interface CommentPinned {
  type: "commentPinned";
  comment: Comment | null;
}

/** a live: comments are off (or on again) for everyone but the host and the moderator */
export interface CommentsChanged {
  type: "commentsChanged";
  off: boolean;
}

/** a live: one person's comments are off (or on again); that person shows why their comments are refused */
export interface MemberCommentsChanged {
  type: "memberCommentsChanged";
  participantId: string;
  off: boolean;
}

/** a space or a live: how many are in its audience now (listeners or viewers, a live's moderator included); sent with a batch when it changed. Past rooms.listed-audience the audience is counted, not listed: see "A large audience" */
export interface AudienceChanged {
  type: "audienceChanged";
  audience: number;
}

/** a live: a viewer bought a badge of hearts (1, 2 or 3) for someone on stage; shown to everyone, the supported person sees it live, and the buyer's comments carry the badge from now on */
export interface BadgeBought {
  type: "badgeBought";
  purchaseId: string;
  buyerId: string;
  buyerName: string;
  targetId: string;
  targetName: string;
  hearts: number;
}

/** a new track, coming in the next subscribeOffer */
export interface TrackPublished {
  type: "trackPublished";
  participantId: string;
  trackId: string;
  kind: MediaKind;
  source: Source;
  /** true (and only present) when it is published turned off (mute) */
  muted?: boolean;
}

/** someone turned their microphone, camera or screen off (muted true) or on again; their tracks stay published: show a muted microphone, or their avatar instead of a black picture */
export interface TrackMuted {
  type: "trackMuted";
  participantId: string;
  source: Source;
  muted: boolean;
}

/** dynacast, to a publisher: which simulcast layers of one of your tracks someone receives; send those, pause the others (set the active flag of that sender's encodings to match, keeping its other parameters). Sent when the set changes; until the first, send every layer */
export interface PublisherLayers {
  type: "publisherLayers";
  /** the mid of your publisher connection's m-section (the transceiver) the track goes out on */
  mid: string;
  /** the rids of the layers to send (a=rid in your offer), in the offer's order; never empty: the lowest layer is always sent. A rid of the m-section not listed is to be paused */
  active: string[];
}

/** the server stopped (paused true) or started again (false) sending you a video, because your connection has no room for even its lowest layer and is losing packets: show it paused rather than frozen on its last frame. Sent when that changes, not more often; the video resumes on its own (a new keyframe) when there is room again */
export interface TrackPaused {
  type: "trackPaused";
  /** whose track it is */
  participantId: string;
  trackId: string;
  paused: boolean;
  /** why: bandwidth (your downlink) */
  reason: PauseReason;
}

export type PauseReason = "bandwidth";

/** a track ended */
export interface TrackUnpublished {
  type: "trackUnpublished";
  participantId: string;
  trackId: string;
}

/** the answer to your publish */
export interface PublishAnswer {
  type: "publishAnswer";
  /** a string holding the SDP answer (RFC 8866 text): pass it to setRemoteDescription as {type: 'answer', sdp} */
  sdp: string;
  /** the id of the request this answers */
  ref?: string | number;
}

/** the whole set of tracks you receive: answer it with subscribeAnswer */
export interface SubscribeOffer {
  type: "subscribeOffer";
  /** a string holding an SDP offer (RFC 8866 text) for the subscriber connection: pass it to setRemoteDescription as {type: 'offer', sdp} */
  sdp: string;
  /** an integer, larger with each offer: send it back in the subscribeAnswer */
  version: number;
  /** true (and only present) when the offer is for a subscriber connection that replaces yours: the last one closed, or yours was with another node (you resumed through another node, or the room moved here): answer on a new RTCPeerConnection */
  newConnection?: boolean;
}

/** one of your media connections closed; you are still in the room */
export interface TransportClosed {
  type: "transportClosed";
  connection: Connection;
  /** why, in words for a log (ICE consent expired, DTLS closed by the peer...): not a stable code */
  reason: string;
}

export type Connection = "publisher" | "subscriber";

/** who speaks now and who holds the floor, from the audio levels publishers send (RFC 6464), evaluated every media.active-speaker-interval; sent when either changes, and on joining once someone has spoken */
export interface ActiveSpeakers {
  type: "activeSpeakers";
  /** the participant id of who holds the floor (the call's highlighted tile): the last person who spoke long enough to take it; null before anyone has, or after they left while nobody speaks */
  dominant: string | null;
  /** who speaks now (the speaker rings), most active lately first, the dominant speaker first when they speak; empty when nobody does */
  speakers: Speaker[];
}

/** someone speaking now */
export interface Speaker {
  participantId: string;
  /** an integer, their loudness over the last interval: 0 (silence, -127 dBov) to 127 (0 dBov) */
  level: number;
}

/** the answer to ping */
export interface Pong {
  type: "pong";
  /** the id of the request this answers */
  ref?: string | number;
}

/** a request was refused; the connection stays open unless the code says otherwise */
export interface Error {
  type: "error";
  code: ErrorCode;
  message: string;
  /** the id of the request this answers */
  ref?: string | number;
  /** with rate_limited: milliseconds to wait before sending this again */
  retryAfterMs?: number;
  /** with wrong_node: the base URL (http or https, no path) of the cluster node that owns the room: open {nodeUrl}/ws/rooms/{roomId} (ws or wss) and send the same join or resume there; this socket takes no join */
  nodeUrl?: string;
}

export type ErrorCode = "bad_request" | "invalid_token" | "token_expired" | "token_not_yet_valid" | "wrong_room" | "not_allowed" | "banned" | "blocked" | "suspended" | "not_found" | "room_full" | "stage_full" | "not_in_room" | "resume_failed" | "room_ended" | "room_locked" | "busy" | "server_draining" | "rate_limited" | "unavailable" | "wrong_node" | "internal" | "bad_json" | "bad_message" | "unknown_type" | "not_joined" | "waiting" | "already_joined" | "publish_not_allowed" | "comments_off" | "replaced" | "bad_sdp" | "unsupported_media" | "stale_answer" | "media_busy" | "message_too_large";

/** an audience member only (a space's listener, a live's viewer): whom each of your fixed slots carries now. Your subscriber offer has media.audience-audio-slots audio m-sections whose a=msid is `~stage audio-<n>`; Salotto fills them with the stage's loudest speakers and moves them between speakers without a new offer. A live's viewer also has video m-sections `~stage video-<n>` (as many as the live's stage holds, at most media.audience-video-slots): each camera on the stage holds one for as long as it is published, in the order they came, and a freed one is silent until another camera takes it; report their tile sizes with videoSize under the slot's track id. Sent whenever a slot changes hands, and on joining the audience once any slot has carried someone (until the first one, every slot is silent); never when the room has no slots (media.audience-audio-slots 0, and no video slots) */
export interface StageSlots {
  type: "stageSlots";
  /** every audio slot, in order */
  audio: StageSlot[];
  /** every video slot, in order (empty outside a live, or with media.audience-video-slots 0) */
  video: StageSlot[];
}

/** one of an audience member's fixed slots */
export interface StageSlot {
  /** the slot's track id, as in its m-section's a=msid */
  trackId: string;
  /** the participant id of whom it carries now; null: silent */
  participantId: string | null;
}
