// The HTTP API's bodies (docs/api.md), the schemas of server/src/main/resources/openapi.json,
// generated from org.salotto.server.api's records by ApiSchema: do not edit. server's ProtocolDocumentsTest says how to regenerate.

/** Every error of the API. */
export interface Error {
  error: { code: ErrorCode; message: string; nodeUrl?: string };
}

/** Stable codes of the one catalogue (org.salotto.signaling.protocol.ErrorCode; the WebSocket's are in /api/asyncapi.json), each with its HTTP status: bad_request 400, unauthenticated 401, bad_credentials 401, invalid_token 401, token_expired 401, token_not_yet_valid 401, wrong_room 403, not_allowed 403, banned 403, blocked 403, suspended 403, not_found 404, username_taken 409, conflict 409, room_full 409, stage_full 409, not_in_room 409, resume_failed 410, room_ended 410, room_locked 423, busy 503, server_draining 503, rate_limited 429, unavailable 503, wrong_node 421, not_on_stage 409, payment_declined 402, idempotency_mismatch 422, no_such_endpoint 404, method_not_allowed 405, payload_too_large 413, unsupported_media_type 415, origin_not_allowed 403, csrf_header_missing 403, precondition_failed 412, internal 500, publish_not_allowed 403, bad_sdp 400, unsupported_media 422, media_busy 503. */
export type ErrorCode = "bad_request" | "unauthenticated" | "bad_credentials" | "invalid_token" | "token_expired" | "token_not_yet_valid" | "wrong_room" | "not_allowed" | "banned" | "blocked" | "suspended" | "not_found" | "username_taken" | "conflict" | "room_full" | "stage_full" | "not_in_room" | "resume_failed" | "room_ended" | "room_locked" | "busy" | "server_draining" | "rate_limited" | "unavailable" | "wrong_node" | "not_on_stage" | "payment_declined" | "idempotency_mismatch" | "no_such_endpoint" | "method_not_allowed" | "payload_too_large" | "unsupported_media_type" | "origin_not_allowed" | "csrf_header_missing" | "precondition_failed" | "internal" | "publish_not_allowed" | "bad_sdp" | "unsupported_media" | "media_busy";

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
  /** A room scheduled for later only: usernames of accounts to invite (at most notifications.max-invitees, 50 by default; an unknown one is 404 not_found naming it). They are told now, at the reminder lead time before the start and at the start. */
  invitees?: string[];
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
  /** A scheduled room only (else 409 conflict), the host only: its new start, in the future. Its invitees and the people reminded are told, and its reminders move. */
  scheduledStart?: string;
  /** A scheduled room only, the host only: replaces the invitees (usernames); the newly invited are told. */
  invitees?: string[];
}

export interface JoinRequest {
  /** Required for a guest; an account's display name otherwise. 1 to 64 characters after stripping, no control characters. */
  displayName?: string;
}

/** An application's join token for one of its users (API key only): the JWT the application could mint offline (docs/api.md, Join tokens). Without any grant field, the token grants what the room's kind and role allow. */
export interface AppTokenRequest {
  /** The application's own id for its user: 1 to 64 printable ASCII characters. */
  user: string;
  /** 1 to 64 characters after stripping, no control characters. */
  displayName: string;
  /** The sources the user may publish; absent with every other grant field: all, as the role allows; absent with another grant field: none. */
  publish?: GrantSource[];
  /** Receives the others' media (default true). */
  subscribe?: boolean;
  /** Manages the room as a co-host does (default false). */
  admin?: boolean;
  /** In the room but not listed to the others, never publishing (default false). */
  hidden?: boolean;
  /** The role to take (see RoleChange), not host. */
  role?: string;
  /** Text given to everyone in the room with the member (at most 1 KiB in UTF-8). */
  metadata?: string;
}

/** A source of media a join token grants. */
export type GrantSource = "camera" | "microphone" | "screen";

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

/** Absent or null fields stay as they are. */
export interface ProfileChanges {
  /** 1 to 64 characters after stripping, no control characters. */
  displayName?: string;
  /** 0 to 160 characters after stripping, no control characters; empty removes it. */
  bio?: string;
}

/** A report to the server's admins (signed-in accounts only). */
export interface NewReport {
  kind: ReportKind;
  roomId: string;
  /** kind participant: who, by participant id (in the room now). */
  participantId?: string;
  /** kind comment: which comment of the live. */
  commentId?: string;
  /** Why: 1 to 500 characters after stripping, no control characters. */
  reason: string;
}

/** What a report is about: a room, someone in a room, or a live's comment. */
export type ReportKind = "room" | "participant" | "comment";

/** An admin ends a room; the report it answers, if any, is then actioned. */
export interface AdminEnd {
  reportId?: string;
}

/** An admin suspends an account; the report it answers, if any, is then actioned. */
export interface Suspension {
  reportId?: string;
  /** Why (kept in the admin log): 1 to 500 characters after stripping. */
  reason: string;
}

/** Changes a participant's grants at once; an absent field stays as it is. Revoking a source unpublishes its track for everyone. */
export interface GrantsChange {
  /** The sources they may publish from now on ([] for none). */
  publish?: GrantSource[];
  subscribe?: boolean;
  admin?: boolean;
  hidden?: boolean;
}

/** An Ed25519 public key to verify the EdDSA join tokens the account's applications sign. */
export interface SigningKeyRequest {
  /** 1 to 64 characters after stripping, no control characters. */
  name: string;
  /** base64url of the raw 32-byte public key (RFC 8032), or a PEM `PUBLIC KEY` (SubjectPublicKeyInfo, RFC 8410). */
  publicKey: string;
}

/** A webhook endpoint to register (docs/api.md "Webhooks"). The answer holds its secret, once. */
export interface NewWebhook {
  /** Where the events are POSTed: an http:// or https:// URL, no user info, no fragment, at most 2048 characters; on a public address unless the server allows private networks (webhooks.allow-private-networks). */
  url: string;
  /** At most 200 characters, for its owner. */
  description?: string;
  /** The event types to send, an array of strings (such as ["room.started", "room.ended"]); [] or absent: all of them. */
  eventTypes?: string[];
}

/** Absent or null fields stay as they are. */
export interface WebhookChanges {
  /** As when registered. */
  url?: string;
  description?: string;
  /** The event types to send, an array of strings (such as ["room.started", "room.ended"]); [] or absent: all of them. */
  eventTypes?: string[];
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

/** The room's WHEP setting: whether anyone may watch or listen to it over WHEP without a join token (a public room only). Off by default. */
export interface WhepSettingsChange {
  anonymous: boolean;
}

/** Marks notifications read: those of `ids`, or all of them with `all: true`. */
export interface MarkRead {
  /** Notification ids (at most 1000). */
  ids?: string[];
  all?: boolean;
}

/** An account as its owner sees it. */
export interface Account {
  id: number;
  username: string;
  displayName: string;
  /** The account is one of the server's admins (the first account, people.admins, or stored): it may use /api/admin/. */
  admin: boolean;
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
  /** how many are in it now (an integer): in HTTP answers and in joined and resumed (you included); absent in roomChanged, where memberJoined and memberLeft tell the changes */
  people?: number;
  /** how many of them are on stage (an integer), present where people is */
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
  /** The join token: a JWT (docs/api.md, Join tokens), or `j1....` for an API key made before grants existed; valid for a short time. */
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
  /** the application's text about this person, from their join token's 'metadata' (at most 1 KiB) */
  metadata?: string;
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

/** Someone in a list: a followers or following list, a room's host, a report's reporter. */
export interface PersonSummary {
  username: string;
  displayName: string;
  /** `/api/users/{username}/avatar?v={version}`; null: no avatar (show the initials). */
  avatarUrl: string | null;
  /** The caller follows them (false when not signed in). */
  followedByMe: boolean;
}

/** A person's profile page. */
export interface Profile {
  username: string;
  displayName: string;
  /** 0 to 160 characters; empty when none. */
  bio: string;
  /** `/api/users/{username}/avatar?v={version}`; null: no avatar (show the initials). */
  avatarUrl: string | null;
  followers: number;
  following: number;
  /** The caller follows them (false when not signed in). */
  followedByMe: boolean;
  /** The caller is this person. */
  me: boolean;
  /** Their public rooms open now with people in them (a live only while it is live), newest first. */
  openRooms: Room[];
  /** Their public scheduled rooms, soonest first. */
  upcomingRooms: Room[];
}

/** A page of a followers or following list, newest follow first. */
export interface PersonPage {
  people: PersonSummary[];
  /** The `before` of the next page; null at the end. */
  next: string | null;
}

/** A room in a home page list, with its host and what the caller asked of it. */
export interface HomeRoom {
  room: Room;
  host: PersonSummary;
  /** The caller asked to be reminded of it (a scheduled room). */
  remindMe: boolean;
  /** The host invited the caller (a scheduled room). */
  invited: boolean;
}

/** The home page's sections. */
export interface Home {
  /** Public rooms open now with people in them (lives only while live), hosted by people the caller follows; empty when not signed in. */
  liveFromFollowed: HomeRoom[];
  /** Scheduled rooms: public ones, those of people the caller follows, and those the caller was invited to or asked to be reminded of; soonest first. */
  upcoming: HomeRoom[];
  /** Public rooms open now with people in them (lives only while live), newest first. */
  openNow: HomeRoom[];
}

/** A report to the server's admins, with what it was about when it was made. */
export interface Report {
  id: string;
  kind: ReportKind;
  state: ReportState;
  reason: string;
  /** What was reported, as it was then: the room's title, the participant's name and room, the comment's text. */
  context: string;
  createdAt: string;
  reporter: PersonSummary;
  /** The room (null when it is gone). */
  room: Room | null;
  /** The name of who is reported: the room's host, the participant, the comment's writer. */
  targetName: string | null;
  /** Their identity (`a:<account id>` for an account, `g:...` for a guest). */
  targetIdentity: string | null;
  /** The account reported, as it is now (username, display name, avatar), in the admins' list: null for a guest or an application's user, an account that is gone, and in the answer to the reporter. */
  target: PersonSummary | null;
  commentId: string | null;
}

/** open until an admin dismisses it (dismissed) or acts on it: ends the room or suspends the account (actioned). */
export type ReportState = "open" | "dismissed" | "actioned";

export interface ReportList {
  reports: Report[];
}

/** One entry of the admin action log (never changed). */
export interface AdminAction {
  id: string;
  at: string;
  action: AdminActionKind;
  /** The admin's username (null if the account is gone). */
  admin: string | null;
  reportId: string | null;
  roomId: string | null;
  /** The username of the account concerned (suspended or restored; the host of an ended room). */
  account: string | null;
  /** A suspension's reason. */
  detail: string | null;
}

/** dismiss: a report dismissed; end_room: a room ended; suspend and restore: an account suspended or restored. */
export type AdminActionKind = "dismiss" | "end_room" | "suspend" | "restore";

/** The admin action log, newest first (the last 200). */
export interface AdminActionList {
  actions: AdminAction[];
}

/** An Ed25519 public key the account registered: the `kid` of its EdDSA join tokens. */
export interface SigningKey {
  /** `ed_` and 12 letters and digits. */
  id: string;
  name: string;
  /** base64url of the raw 32 bytes. */
  publicKey: string;
  createdAt: string;
}

export interface SigningKeyList {
  signingKeys: SigningKey[];
}

/** The room's WHEP setting: whether anyone may watch or listen to it over WHEP without a join token (a public room only). */
export interface WhepSettings {
  anonymous: boolean;
}

/** Who a notification is about: an account (username, display name, avatar or null for initials). */
export interface NotificationActor {
  username: string;
  displayName: string;
  avatarUrl: string | null;
}

/** One notification: `text` is the sentence to show, `link` where a click goes (a room's page, /r/{id}; /settings for webhook_disabled). */
export interface Notification {
  /** Increasing: newer notifications have greater ids (compare as numbers). */
  id: string;
  type: NotificationType;
  text: string;
  roomId: string | null;
  link: string;
  actor: NotificationActor | null;
  createdAt: string;
  read: boolean;
}

/** What a notification tells: went_live, space_opened, call_opened (someone you follow); room_scheduled (you were invited, or someone you follow scheduled a room), room_changed, room_cancelled, reminder (at the lead time before the start), room_starting (a room you were invited to or asked to be reminded of); hand_raised (to the host and co-hosts), made_cohost, made_moderator, stage_invitation; webhook_disabled (one of your webhook endpoints was turned off; no room, the link is /settings). */
export type NotificationType = "went_live" | "space_opened" | "call_opened" | "room_scheduled" | "room_changed" | "room_cancelled" | "reminder" | "room_starting" | "hand_raised" | "made_cohost" | "made_moderator" | "stage_invitation" | "webhook_disabled";

/** A page of the inbox, newest first, with the count of unread notifications; `next` is the `before` of the next page, null on the last. */
export interface NotificationPage {
  notifications: Notification[];
  unread: number;
  next: string | null;
}

/** The stream's `unread` event: how many notifications are unread now (after a read mark). */
export interface Unread {
  unread: number;
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
