// What a live adds to the room (docs/protocol.md "Comments", docs/api.md "Badges"): the comments and the pinned one,
// who may not comment, the badges bought and the one this person is shown when supported, the earnings of the people
// on stage and the host's supporters, and the purchase of a badge with its idempotency key.
//
// The room client feeds it the snapshot and the room events; the screens (src/ui/live) read it and call its actions.

import { ApiError, api, roomPath } from '../api';
import { capitalise } from '../refusals';
import type { ClientFrame } from '../signaling';
import type {
  BadgePrices, BadgePurchase, Comment, CommentReport, CommentsOff, Earnings, LiveEvent, LiveSnapshot, Pin, Purchase,
  Supporters,
} from './types';

/** Comments kept on screen; older ones scroll away (the server keeps them all: GET .../comments). */
const MAX_FEED = 200;
/** How long the supported person's badge animation shows. */
const CELEBRATION_MS = 4_500;
/** limits.reactions-per-person is 20 per 10 s by default: a heart every half second stays under it. */
const HEART_EVERY_MS = 500;

/** What Live needs of the room client. */
export interface LiveRoom {
  readonly room: string;
  readonly participantId: string | null;
  readonly role: string | null;
  sendFrame(frame: ClientFrame): void;
  changed(): void;
}

/** A line of the comment list: a comment, or a badge someone bought (everyone sees it go by). */
export type FeedItem =
  | { kind: 'comment'; key: string; comment: Comment }
  | { kind: 'badge'; key: string; buyerId: string; buyerName: string; targetId: string; targetName: string; hearts: number };

/** The animation the supported person sees. */
export interface Celebration {
  id: string;
  buyerName: string;
  hearts: number;
}

/** One badge purchase, from the press of "Buy" to its answer; a retry reuses its key. */
export interface BadgeAttempt {
  key: string;
  body: BadgePurchase;
  state: 'sending' | 'done' | 'declined' | 'failed';
  message?: string;
  purchase?: Purchase;
}

export class Live {
  feed: FeedItem[] = [];
  pinned: Comment | null = null;
  commentsOff = false;
  /** Participants whose comments the host or moderator turned off. */
  offFor = new Set<string>();
  /** The hearts of the best badge each buyer bought in this live, by participant id, as badges were bought. */
  badges = new Map<string, number>();
  celebrations: Celebration[] = [];
  /** Why this person's last comment was not posted, in words; cleared by the next one that is. */
  refusal: { text: string; comment: string } | null = null;
  prices: BadgePrices | null = null;
  pricesProblem: string | null = null;
  earnings: Earnings | null = null;
  supporters: Supporters | null = null;
  attempt: BadgeAttempt | null = null;

  readonly #room: LiveRoom;
  /** Comments sent and not yet echoed, by the request id their refusal would carry as ref. */
  #sent = new Map<string, string>();
  #nextRequest = 1;
  #lastHeart = 0;

  constructor(room: LiveRoom) {
    this.#room = room;
  }

  get myCommentsOff(): boolean {
    const me = this.#room.participantId;
    return me !== null && this.offFor.has(me);
  }

  get moderates(): boolean {
    return this.#room.role === 'host' || this.#room.role === 'moderator';
  }

  // ---- from the server ----

  /** The snapshot of `joined`/`resumed`: what the live holds now replaces what this page had. */
  reset(snapshot: LiveSnapshot): void {
    const badgeItems = this.feed.filter((item) => item.kind === 'badge');
    const comments = (snapshot.comments ?? []).map((c): FeedItem => ({ kind: 'comment', key: c.id, comment: c }));
    // Badge lines are not in the snapshot: keep the ones seen, in time order with the comments.
    this.feed = [...comments, ...badgeItems].slice(-MAX_FEED);
    this.pinned = snapshot.pinned ?? null;
    this.commentsOff = snapshot.commentsOff ?? false;
    this.offFor = new Set(snapshot.commentsOffFor ?? []);
  }

  /** A room event; returns false for the events that are not a live's. */
  apply(event: { type: string }): boolean {
    const e = event as LiveEvent;
    switch (e.type) {
      case 'commentPosted':
        this.#add({ kind: 'comment', key: e.comment.id, comment: e.comment });
        if (e.comment.participantId === this.#room.participantId) this.#echoed(e.comment.text);
        return true;
      case 'commentHidden':
        this.feed = this.feed.filter((item) => item.kind !== 'comment' || item.comment.id !== e.commentId);
        if (this.pinned?.id === e.commentId) this.pinned = null;
        return true;
      case 'commentPinned':
        this.pinned = e.comment;
        return true;
      case 'commentsChanged':
        this.commentsOff = e.off;
        return true;
      case 'memberCommentsChanged':
        if (e.off) this.offFor.add(e.participantId); else this.offFor.delete(e.participantId);
        if (!e.off && e.participantId === this.#room.participantId) this.refusal = null;
        return true;
      case 'badgeBought':
        this.badges.set(e.buyerId, Math.max(this.badges.get(e.buyerId) ?? 0, e.hearts));
        this.#add({ kind: 'badge', key: `badge-${e.purchaseId}`, buyerId: e.buyerId, buyerName: e.buyerName,
          targetId: e.targetId, targetName: e.targetName, hearts: e.hearts });
        if (e.targetId === this.#room.participantId) this.#celebrate(e.purchaseId, e.buyerName, e.hearts);
        if (e.targetId === this.#room.participantId || this.#room.role === 'host') void this.refreshMoney();
        return true;
      default:
        return false;
    }
  }

  /** A refused request; true when it was one of our comments (the refusal is told under the comment box). */
  onError(frame: { code: string; message: string; ref?: string | number; retryAfterMs?: number }): boolean {
    if (typeof frame.ref !== 'string' || !this.#sent.has(frame.ref)) return false;
    const comment = this.#sent.get(frame.ref)!;
    this.#sent.delete(frame.ref);
    this.refusal = { text: this.#refusalText(frame), comment };
    this.#room.changed();
    return true;
  }

  #refusalText(frame: { code: string; message: string; retryAfterMs?: number }): string {
    switch (frame.code) {
      case 'comments_off':
        return this.myCommentsOff || !this.commentsOff
          ? 'Your comment was not posted: the host turned your comments off.'
          : 'Your comment was not posted: comments are off for everyone right now.';
      case 'rate_limited': {
        const seconds = Math.max(1, Math.ceil((frame.retryAfterMs ?? 1000) / 1000));
        return `You are commenting too fast. Wait ${seconds} s and send it again.`;
      }
      default:
        return `Your comment was not posted: ${frame.message.replace(/\.$/, '')}.`;
    }
  }

  #add(item: FeedItem) {
    if (this.feed.some((i) => i.key === item.key)) return; // the same comment again after a resume
    this.feed = [...this.feed.slice(1 - MAX_FEED), item];
  }

  #echoed(text: string) {
    for (const [ref, sent] of this.#sent) {
      if (sent === text) {
        this.#sent.delete(ref);
        break;
      }
    }
    this.refusal = null;
  }

  #celebrate(id: string, buyerName: string, hearts: number) {
    const celebration = { id, buyerName, hearts };
    this.celebrations = [...this.celebrations, celebration];
    window.setTimeout(() => {
      this.celebrations = this.celebrations.filter((c) => c !== celebration);
      this.#room.changed();
    }, CELEBRATION_MS);
  }

  // ---- this person's actions ----

  /** Sends a comment; its refusal, if any, comes back as an error frame with our ref. */
  comment(text: string): void {
    const trimmed = text.trim();
    if (!trimmed) return;
    const id = `comment-${this.#nextRequest++}`;
    this.#sent.set(id, trimmed);
    if (this.#sent.size > 20) this.#sent.delete(this.#sent.keys().next().value!); // echoed long ago
    this.refusal = null;
    this.#room.sendFrame({ type: 'comment', text: trimmed, id });
    this.#room.changed();
  }

  /** A heart for the stage; taps faster than the server's reaction limit allows (2 a second) are dropped. */
  heart(): void {
    const now = Date.now();
    if (now - this.#lastHeart < HEART_EVERY_MS) return;
    this.#lastHeart = now;
    this.#room.sendFrame({ type: 'react', emoji: '❤️' });
  }

  hide(commentId: string): Promise<void> {
    return this.#act(() => api('DELETE', roomPath(this.#room.room, `/comments/${encodeURIComponent(commentId)}`)));
  }

  pin(commentId: string | null): Promise<void> {
    return this.#act(() => commentId === null
      ? api('DELETE', roomPath(this.#room.room, '/pin'))
      : api('PUT', roomPath(this.#room.room, '/pin'), { commentId } satisfies Pin));
  }

  setCommentsOff(off: boolean): Promise<void> {
    return this.#act(() => api('PUT', roomPath(this.#room.room, '/comments-off'), { off } satisfies CommentsOff));
  }

  setMemberCommentsOff(participantId: string, off: boolean): Promise<void> {
    return this.#act(() => api('PUT', roomPath(this.#room.room, `/participants/${participantId}/comments-off`),
      { off } satisfies CommentsOff));
  }

  report(commentId: string, reason: string): Promise<void> {
    const body: CommentReport = reason.trim() ? { reason: reason.trim().slice(0, 200) } : {};
    return this.#act(() => api('POST', roomPath(this.#room.room, `/comments/${encodeURIComponent(commentId)}/report`), body));
  }

  /** Errors of the moderation actions, told on the page's banner by the room client. */
  onActionError: (text: string) => void = () => {};

  async #act(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.onActionError(error instanceof ApiError ? capitalise(error.message) : (error as Error).message);
    }
  }

  // ---- badges and money ----

  async loadPrices(): Promise<void> {
    try {
      this.prices = await api<BadgePrices>('GET', '/api/badges/prices');
      this.pricesProblem = null;
    } catch (error) {
      this.pricesProblem = error instanceof ApiError ? capitalise(error.message) : 'The prices could not be loaded.';
    }
    this.#room.changed();
  }

  /**
   * Buys a badge. A new choice is a new attempt with a new Idempotency-Key; pressing again after a failure that
   * left the answer unknown (network, server busy) retries the same attempt with the same key, so the server makes
   * at most one purchase of it.
   */
  async buy(body: BadgePurchase): Promise<void> {
    const previous = this.attempt;
    const retry = previous?.state === 'failed' && previous.body.targetId === body.targetId
      && previous.body.hearts === body.hearts;
    const attempt: BadgeAttempt = { key: retry ? previous!.key : idempotencyKey(), body, state: 'sending' };
    this.attempt = attempt;
    this.#room.changed();
    try {
      attempt.purchase = await api<Purchase>('POST', roomPath(this.#room.room, '/badges'), body satisfies BadgePurchase,
        { 'Idempotency-Key': attempt.key });
      attempt.state = 'done';
    } catch (error) {
      const code = error instanceof ApiError ? error.code : 'network';
      attempt.state = code === 'payment_declined' ? 'declined' : unknownOutcome(error) ? 'failed' : 'declined';
      attempt.message = purchaseRefusal(code, error instanceof ApiError ? error.message : '');
    }
    if (this.attempt === attempt) this.#room.changed();
  }

  /** Closes the sheet's answer: the next purchase is a new attempt. */
  clearAttempt(): void {
    this.attempt = null;
    this.#room.changed();
  }

  /** Earnings (people on stage: their own; the host: everyone on stage) and, for the host, the supporters. */
  async refreshMoney(): Promise<void> {
    const role = this.#room.role;
    const onStage = role === 'host' || role === 'guest';
    try {
      if (onStage) this.earnings = await api<Earnings>('GET', roomPath(this.#room.room, '/earnings'));
      if (role === 'host') this.supporters = await api<Supporters>('GET', roomPath(this.#room.room, '/supporters'));
    } catch (error) {
      console.warn('salotto: earnings', error);
    }
    this.#room.changed();
  }

  /** What this person earned, from `earnings` (0 until loaded). */
  myEarnings(): { amount: number; badges: number } {
    const me = this.#room.participantId;
    const mine = this.earnings?.earnings.find((e) => e.participantId === me)
      ?? (this.#room.role !== 'host' && this.earnings?.earnings.length === 1 ? this.earnings.earnings[0] : undefined);
    return { amount: mine?.amount ?? 0, badges: mine?.badges ?? 0 };
  }
}

/** 32 random hex digits: an Idempotency-Key (crypto.randomUUID needs a secure context; this does not). */
function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Whether a failed purchase may have happened all the same: then a retry must carry the same key. */
function unknownOutcome(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status >= 500 || error.code === 'busy' || error.code === 'rate_limited';
}

function purchaseRefusal(code: string, message: string): string {
  switch (code) {
    case 'payment_declined':
      return 'Your payment was declined: nothing was charged. Check your payment method, or try again later.';
    case 'not_on_stage':
      return 'That person is no longer on stage: pick someone who is.';
    case 'not_allowed':
      return 'Only viewers can buy badges.';
    case 'network':
      return 'Salotto could not be reached, so the purchase may not have gone through. Try again: you will not pay twice.';
    case 'busy':
    case 'unavailable':
    case 'internal':
    case 'rate_limited':
      return `${capitalise(message || 'Salotto is busy')} Try again: you will not pay twice.`;
    default:
      return capitalise(message || 'The badge could not be bought.');
  }
}

/** An amount in minor units as people read it: 499 USD -> "$4.99". */
export function money(amount: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(amount / 10 ** digits);
  } catch {
    return `${(amount / 100).toFixed(2)} ${currency}`;
  }
}
