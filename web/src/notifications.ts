// The signed-in person's notifications (docs/api.md "Notifications"): the inbox page by page, the unread count, and
// the one real-time channel of this tab, the server-sent events of GET /api/me/notifications/stream. The bell, the
// inbox panel and the toasts (ui/Notifications.tsx) render this store; it tells them when something changed.

import { api } from './api';
import type { MarkRead, Notification, NotificationPage, Unread } from '../../protocol/salotto-api';

export type { Notification, NotificationActor, NotificationPage, NotificationType } from '../../protocol/salotto-api';

const PAGE = 20;
/** Notifications that the room's own page tells when it is open (strips, the invitation, room/told.ts). */
const IN_ROOM = new Set(['hand_raised', 'made_cohost', 'made_moderator', 'stage_invitation']);
/** Notifications of a room that is on now: a click goes straight in (RoomPage joins by itself when it needs no devices). */
const ENTER_AT_ONCE = new Set(['went_live', 'space_opened', 'call_opened', 'room_starting', 'stage_invitation']);
/** A toast stays this long unless the person hovers it or closes it. */
export const TOAST_MS = 10_000;

export interface Toast {
  notification: Notification;
  at: number;
}

class NotificationStore {
  notifications: Notification[] = [];
  unread = 0;
  next: string | null = null;
  loaded = false;
  toasts: Toast[] = [];
  /** The inbox is open: what arrives shows in it, not as a toast over it. */
  inboxOpen = false;
  /** The room this page is in: what the room itself shows (a raised hand, a new role, an invitation) is not toasted too. */
  quietRoom: string | null = null;
  /** Whether the stream is open (the test hooks and the bell's title read it). */
  connected = false;
  #source: EventSource | null = null;
  #listeners = new Set<() => void>();
  #seen = new Set<string>();

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Starts for a signed-in account: the first page and the stream. Calling it again changes nothing. */
  start(): void {
    if (this.#source) return;
    void this.#loadFirst();
    this.#open();
  }

  /** On logging out: closes the stream and forgets everything. */
  stop(): void {
    this.#source?.close();
    this.#source = null;
    this.connected = false;
    this.notifications = [];
    this.unread = 0;
    this.toasts = [];
    this.loaded = false;
    this.#seen.clear();
    this.#changed();
  }

  async #loadFirst(): Promise<void> {
    try {
      const page = await api<NotificationPage>('GET', `/api/me/notifications?limit=${PAGE}`);
      // What the stream brought meanwhile stays on top.
      const fresh = this.notifications.filter((n) => !page.notifications.some((p) => p.id === n.id));
      this.notifications = [...fresh, ...page.notifications];
      for (const n of page.notifications) this.#seen.add(n.id);
      this.unread = page.unread + fresh.filter((n) => !n.read).length;
      this.next = page.next;
      this.loaded = true;
      this.#changed();
    } catch {
      // Not signed in after all, or the server is away: the bell stays empty and the stream retries.
    }
  }

  async more(): Promise<void> {
    if (!this.next) return;
    const page = await api<NotificationPage>('GET', `/api/me/notifications?limit=${PAGE}&before=${encodeURIComponent(this.next)}`);
    const known = new Set(this.notifications.map((n) => n.id));
    this.notifications = [...this.notifications, ...page.notifications.filter((n) => !known.has(n.id))];
    this.next = page.next;
    this.#changed();
  }

  #open(): void {
    // EventSource reconnects by itself and sends Last-Event-ID: the server resends what came after it.
    const source = new EventSource('/api/me/notifications/stream');
    this.#source = source;
    source.onopen = () => { this.connected = true; this.#changed(); };
    source.onerror = () => { this.connected = false; this.#changed(); };
    source.addEventListener('notification', (event) => {
      const n = JSON.parse((event as MessageEvent).data) as Notification;
      this.#arrived(n);
    });
    source.addEventListener('unread', (event) => {
      this.unread = (JSON.parse((event as MessageEvent).data) as Unread).unread;
      this.#changed();
    });
  }

  #arrived(n: Notification): void {
    if (this.#seen.has(n.id)) return; // a resend after a reconnect
    this.#seen.add(n.id);
    this.notifications = [n, ...this.notifications];
    if (!n.read) this.unread++;
    const shownInTheRoom = IN_ROOM.has(n.type) && n.roomId != null && n.roomId === this.quietRoom;
    if (this.inboxOpen || shownInTheRoom) { this.#changed(); return; }
    this.toasts = [...this.toasts.slice(-2), { notification: n, at: Date.now() }];
    this.#changed(); // each toast goes by itself after TOAST_MS, unless the pointer rests on it (ui/Notifications.tsx)
  }

  setInboxOpen(open: boolean): void {
    this.inboxOpen = open;
    if (open) this.toasts = [];
    this.#changed();
  }

  dismissToast(id: string): void {
    const before = this.toasts.length;
    this.toasts = this.toasts.filter((t) => t.notification.id !== id);
    if (this.toasts.length !== before) this.#changed();
  }

  async markRead(ids: string[]): Promise<void> {
    const unreadIds = ids.filter((id) => this.notifications.some((n) => n.id === id && !n.read));
    if (unreadIds.length === 0) return;
    this.notifications = this.notifications.map((n) => (unreadIds.includes(n.id) ? { ...n, read: true } : n));
    this.unread = Math.max(0, this.unread - unreadIds.length);
    this.#changed();
    await api('POST', '/api/me/notifications/read', { ids: unreadIds } satisfies MarkRead).catch(() => {});
  }

  async markAllRead(): Promise<void> {
    this.notifications = this.notifications.map((n) => ({ ...n, read: true }));
    this.unread = 0;
    this.#changed();
    await api('POST', '/api/me/notifications/read', { all: true } satisfies MarkRead).catch(() => {});
  }

  /**
   * A click on a notification: it is read, and the page goes where it points. A room that is on now is entered at
   * once as its audience (a live's viewer, a space's listener: no devices to choose), as Instagram and X do.
   */
  async open(n: Notification): Promise<void> {
    this.dismissToast(n.id);
    await this.markRead([n.id]);
    if (!n.link) return;
    const enter = ENTER_AT_ONCE.has(n.type) && /^\/r\//.test(n.link);
    location.assign(enter ? `${n.link}${n.link.includes('?') ? '&' : '?'}join=1` : n.link);
  }
}

export const notifications = new NotificationStore();
