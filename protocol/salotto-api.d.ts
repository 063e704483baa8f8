// The HTTP API's bodies (docs/api.md), the schemas of server/src/main/resources/openapi.json,
// generated from org.salotto.server.api's records by ApiSchema: do not edit. server's ProtocolDocumentsTest says how to regenerate.

/** Every error of the API. */
export interface Error {
  error: { code: ErrorCode; message: string };
}

/** Stable codes of the one catalogue (org.salotto.signaling.protocol.ErrorCode; the WebSocket's are in /api/asyncapi.json), each with its HTTP status: bad_request 400, unauthenticated 401, bad_credentials 401, invalid_token 401, not_allowed 403, banned 403, blocked 403, not_found 404, username_taken 409, room_full 409, stage_full 409, not_in_room 409, resume_failed 410, room_ended 410, room_locked 423, busy 503, server_draining 503, rate_limited 429, unavailable 503, not_on_stage 409, payment_declined 402, idempotency_mismatch 422, no_such_endpoint 404, method_not_allowed 405, payload_too_large 413, unsupported_media_type 415, origin_not_allowed 403, csrf_header_missing 403, internal 500. */
export type ErrorCode = "bad_request" | "unauthenticated" | "bad_credentials" | "invalid_token" | "not_allowed" | "banned" | "blocked" | "not_found" | "username_taken" | "room_full" | "stage_full" | "not_in_room" | "resume_failed" | "room_ended" | "room_locked" | "busy" | "server_draining" | "rate_limited" | "unavailable" | "not_on_stage" | "payment_declined" | "idempotency_mismatch" | "no_such_endpoint" | "method_not_allowed" | "payload_too_large" | "unsupported_media_type" | "origin_not_allowed" | "csrf_header_missing" | "internal";

/** No fields: send no body, or `{}`. */
export interface Empty {
}

/** A new account; it is logged in at once (the answer sets the session cookie). */
export interface SignUp {
  /** 3 to 32 characters of A-Z, a-z, 0-9, _ and . */
  username: string;
  /** 8 to 256 characters */
  password: string;
  /** 1 to 64 characters after stripping, no control characters. Default: the username. */
  displayName?: string;
}

/** Logging in; the answer sets the session cookie. */
export interface LogIn {
  username: string;
  password: string;
}

export interface ApiKeyRequest {
  /** 1 to 64 characters after stripping, no control characters. */
  name: string;
}

export interface NewRoom {
  kind: RoomKind;
  /** 1 to 120 characters after stripping, no control characters. */
  title: string;
  /** One of happy_hour, dance_party, family, study_break, game_night, hanging_out (the default), just_chatting; or a custom text of at most 60 characters that starts with an emoji. */
  activity?: string;
  /** public (the default) or private. */
  visibility?: Visibility;
  /** Later start (RFC 3339, such as 2026-11-21T18:00:00Z); the room is then scheduled. Absent: open now. */
  scheduledStart?: string;
  /** Newcomers wait in the lobby. Default false. */
  knock?: boolean;
  /** A live only: open it in its backstage (practice mode). Only the host and the guests the host lets in are in; everyone else waits until the host goes live (POST /api/rooms/{id}/go-live). Default false. */
  practice?: boolean;
}

export type RoomKind = "call" | "live" | "space";

export type Visibility = "public" | "private";

/** Absent or null fields stay as they are. */
export interface RoomChanges {
  /** 1 to 120 characters after stripping, no control characters. */
  title?: string;
  /** One of happy_hour, dance_party, family, study_break, game_night, hanging_out (the default), just_chatting; or a custom text of at most 60 characters that starts with an emoji. */
  activity?: string;
  visibility?: Visibility;
  locked?: boolean;
  knock?: boolean;
}

export interface JoinRequest {
  /** Required for a guest; an account's display name otherwise. 1 to 64 characters after stripping, no control characters. */
  displayName?: string;
}

/** An application's join token for one of its users (API key only). */
export interface AppTokenRequest {
  /** The application's own id for its user: 1 to 64 printable ASCII characters. */
  user: string;
  /** 1 to 64 characters after stripping, no control characters. */
  displayName: string;
}

export interface RoleChange {
  /** A role of the room's kind (see Role): call: host, co_host, participant. live: host, moderator, guest (on stage), viewer. space: host, co_host, speaker, listener. */
  role: string;
}

/** Comments off (true) or on again (false). */
export interface CommentsOff {
  off: boolean;
}

/** The comment to pin: one of the live's recent visible comments. */
export interface Pin {
  commentId: string;
}

/** A report of a comment to the host. */
export interface CommentReport {
  /** Why: at most 200 characters after stripping, no control characters. */
  reason?: string;
}

/** A badge for someone on the live's stage. Sent with an `Idempotency-Key` header (1 to 100 printable ASCII characters, new and random for each purchase): a retry with the same key and body gets the first answer again. */
export interface BadgePurchase {
  /** The participant id of the person on stage the badge is for. */
  targetId: string;
  /** 1, 2 or 3 hearts; the prices are the server's (badges.prices). */
  hearts: number;
}

/** A webhook endpoint to register (docs/api.md "Webhooks"). The answer holds its secret, once. */
export interface NewWebhook {
  /** Where the events are POSTed: an http:// or https:// URL, no user info, no fragment, at most 2048 characters; on a public address unless the server allows private networks (webhooks.allow-private-networks). */
  url: string;
  /** At most 200 characters, for its owner. */
  description?: string;
  /** The event types to send, comma-separated (such as "room.started,room.ended"); empty or absent: all of them. */
  eventTypes?: string;
}

/** Absent or null fields stay as they are. */
export interface WebhookChanges {
  /** As when registered. */
  url?: string;
  description?: string;
  /** The event types to send, comma-separated (such as "room.started,room.ended"); empty or absent: all of them. */
  eventTypes?: string;
  /** false stops deliveries (they wait); true starts them again where they stopped, after a disabling too. */
  enabled?: boolean;
}

/** A replay: `since` delivers again, in order and with retries, every event at or after that instant in each of the endpoint's streams; `deliveryId` sends one logged delivery's event again, now and once. One of the two. */
export interface WebhookReplay {
  /** RFC 3339, such as 2026-11-21T18:00:00Z; not in the future. */
  since?: string;
  /** A delivery's id from the log. */
  deliveryId?: string;
}

/** An account as its owner sees it. */
export interface Account {
  id: number;
  username: string;
  displayName: string;
}

export interface NewApiKey {
  id: string;
  /** The secret `sk_<id>_<43 characters>`: shown only now. Send it as `Authorization: Bearer`. */
  key: string;
}

export interface ApiKey {
  id: string;
  name: string;
  createdAt: string;
}

export interface ApiKeyList {
  apiKeys: ApiKey[];
}

/** Someone the account blocked from its rooms. */
export interface Block {
  identity: string;
  name: string;
  at: string;
}

export interface BlockList {
  blocks: Block[];
}

export interface GuestToken {
  /** `g2.<guest id>.<expiry>.<signature>`: valid for rooms.guest-token-ttl (30 days by default). */
  guestToken: string;
}

export interface RoomList {
  rooms: Room[];
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
  /** how many are in it now (HTTP only) */
  people?: number;
  /** how many of them are on stage (HTTP only) */
  onStage?: number;
}

export type RoomState = "scheduled" | "open" | "ended";

export interface JoinAnswer {
  /** The join token (`j1....`), valid for a short time. */
  token: string;
  /** `/ws/rooms/{roomId}` */
  webSocket: string;
  room: Room;
}

export interface AppToken {
  /** The join token (`j1....`), valid for a short time. */
  token: string;
  /** `/ws/rooms/{roomId}` */
  webSocket: string;
}

export interface RoleResult {
  result: RoleOutcome;
}

/** done: the role is set; invited: the person must accept the invitation to the stage first. */
export type RoleOutcome = "done" | "invited";

export interface ParticipantList {
  participants: Member[];
}

/** a person in the room */
export interface Member {
  participantId: string;
  name: string;
  role: Role;
  guest: boolean;
  /** accounts only */
  accountId?: number;
  handRaised: boolean;
}

/** a person's role; on stage: host, co_host, participant (call), guest (live), speaker (space) */
export type Role = "host" | "co_host" | "moderator" | "participant" | "guest" | "speaker" | "viewer" | "listener";

export interface Lobby {
  waiting: LobbyEntry[];
}

/** someone waiting in the lobby */
export interface LobbyEntry {
  lobbyId: string;
  name: string;
  guest: boolean;
  since: string;
}

/** A page of a live's comments, oldest first, and the pinned one. */
export interface CommentPage {
  comments: Comment[];
  /** The pinned comment, or null. */
  pinned: Comment | null;
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

/** A live's moderation review (the host's), oldest first. */
export interface ModerationReview {
  actions: ModerationEntry[];
}

/** What the host or the moderator did in the live, or someone's report of a comment. */
export interface ModerationEntry {
  at: string;
  /** The name of who did it (the reporter, for a report). */
  actor: string;
  action: ModerationKind;
  /** The name of the person concerned: the comment's writer, the person whose comments went off or on, the viewer removed. */
  target?: string;
  commentId?: string;
  /** The text of the comment concerned. */
  text?: string;
  /** A report's reason. */
  detail?: string;
}

/** What was done: a comment hidden, pinned or unpinned; comments off or on for everyone or for one person; a viewer removed; a comment reported. */
export type ModerationKind = "hide" | "pin" | "unpin" | "comments_off" | "comments_on" | "member_comments_off" | "member_comments_on" | "remove" | "report";

/** What a badge costs: `amount` in minor units (cents) of `currency`. */
export interface BadgePrice {
  /** 1, 2 or 3. */
  hearts: number;
  amount: number;
}

/** The prices of the badges of 1, 2 and 3 hearts (configuration badges.prices), in the server's one currency. */
export interface BadgePrices {
  currency: string;
  prices: BadgePrice[];
}

/** A badge bought in a live. `amount` is in minor units (cents) of `currency`. */
export interface Purchase {
  id: string;
  roomId: string;
  /** The buyer's participant id in the live when they bought it. */
  buyerId: string;
  /** The participant id of the person on stage it is for. */
  targetId: string;
  hearts: number;
  amount: number;
  currency: string;
  at: string;
  state: PurchaseState;
}

/** completed: bought; refunded: given back by the host (a reversing ledger transaction). */
export type PurchaseState = "completed" | "refunded";

/** What one person on stage earned in the live, after the platform's fee, in minor units. */
export interface Earning {
  /** Their participant id while they are in the live. */
  participantId?: string;
  identity: string;
  name: string;
  amount: number;
  /** Badges bought for them and not refunded. */
  badges: number;
}

export interface Earnings {
  currency: string;
  earnings: Earning[];
}

/** Someone who bought badges in the live: what they paid in minor units, hearts and badges (refunds left out). */
export interface Supporter {
  identity: string;
  name: string;
  amount: number;
  hearts: number;
  badges: number;
}

export interface Supporters {
  currency: string;
  /** Biggest first. */
  supporters: Supporter[];
}

/** A ledger account's balance: the sum of its entries, in minor units, as its owner reads it (what a creator earned is positive; a buyer's account holds nothing after a purchase: what they pay in, they spend). */
export interface Balance {
  /** `earnings:<identity>` or `buyer:<identity>`. */
  account: string;
  currency: string;
  balance: number;
}

/** A webhook endpoint (docs/api.md "Webhooks"). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  /** The types sent; empty: all. */
  eventTypes: string[];
  /** false: deliveries wait (its owner stopped them, or it failed for webhooks.retry-for). */
  enabled: boolean;
  /** Why it is disabled, or null. */
  disabledReason: string | null;
  /** When its current run of failed attempts began; null: the last one succeeded. */
  failingSince: string | null;
  createdAt: string;
  /** whsec_ and the base64 of the signing key: only in the answer to its registration. */
  secret?: string;
}

export interface WebhookEndpointList {
  endpoints: WebhookEndpoint[];
}

/** One attempt to deliver a message. */
export interface WebhookDelivery {
  /** Decimal; for ?before= and replays. */
  id: string;
  /** The webhook-id header: the same on every attempt and replay of one event. */
  messageId: string;
  /** The event type, such as room.started. */
  type: string;
  /** The room of the event, or null (a notification, a test). */
  roomId: string | null;
  /** The event's sequence number in its room (a notification's id). */
  seq: number;
  /** 1 for the first attempt of a dispatch, then 2, 3... */
  attempt: number;
  trigger: WebhookTrigger;
  /** The receiver's HTTP status; null: no answer (see error). */
  status: number | null;
  /** What went wrong, or null. */
  error: string | null;
  /** The start of the receiver's answer (at most 256 bytes). */
  response: string | null;
  durationMs: number;
  at: string;
}

/** dispatch: sent from the outbox, in order (first attempt and retries); replay: sent again on request; test: a webhook.test message. */
export type WebhookTrigger = "dispatch" | "replay" | "test";

export interface WebhookDeliveryList {
  /** Newest first. */
  deliveries: WebhookDelivery[];
}

/** What a replay did: how many streams were set back (since), or the attempt made (deliveryId). */
export interface WebhookReplayResult {
  streams?: number;
  delivery?: WebhookDelivery;
}
