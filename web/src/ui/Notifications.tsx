// The bell with the unread count, the inbox it opens (a panel under it on a desktop, a sheet on a phone), and the
// toasts that show a new notification the moment it comes on the stream. A click on one goes where it points.
import {
  Bell as BellIcon, CalendarClock, CalendarX, Hand, Mic, Radio, Shield, Star, Users, Video, X,
} from 'lucide-preact';
import { useEffect, useState } from 'preact/hooks';
import { Notification, TOAST_MS, notifications } from '../notifications';
import { Avatar, when } from './common';

function useNotifications(): typeof notifications {
  const [, setVersion] = useState(0);
  useEffect(() => notifications.subscribe(() => setVersion((n) => n + 1)), []);
  return notifications;
}

const ICONS: Record<string, typeof BellIcon> = {
  went_live: Radio, space_opened: Mic, call_opened: Video, room_scheduled: CalendarClock, room_changed: CalendarClock,
  room_cancelled: CalendarX, reminder: CalendarClock, room_starting: Radio, hand_raised: Hand,
  made_cohost: Star, made_moderator: Shield, stage_invitation: Users,
};

export function Bell() {
  const store = useNotifications();
  const [open, setOpenState] = useState(false);
  const setOpen = (on: boolean) => { setOpenState(on); store.setInboxOpen(on); };
  useEffect(() => () => store.setInboxOpen(false), []);
  const unread = store.unread;
  return (
    <div class="menu-anchor">
      <button id="bell" type="button" class="icon-button" aria-haspopup="dialog" aria-expanded={open}
        data-stream={store.connected ? 'open' : 'closed'}
        aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'} onClick={() => setOpen(!open)}>
        <BellIcon size={22} />
        {unread > 0 && <span id="unread-count" class="dot" data-count={unread}>{unread > 99 ? '99+' : unread}</span>}
      </button>
      {open && <Inbox onClose={() => setOpen(false)} />}
    </div>
  );
}

function Inbox({ onClose }: { onClose: () => void }) {
  const store = useNotifications();
  return (
    <>
      <div class="menu-backdrop" onClick={onClose} />
      <section id="inbox" class="popover inbox" role="dialog" aria-labelledby="inbox-title">
        <div class="inbox-head">
          <h2 id="inbox-title">Notifications</h2>
          {store.unread > 0 && (
            <button id="mark-all-read" type="button" class="small ghost" onClick={() => store.markAllRead()}>Mark all read</button>
          )}
          <button type="button" class="icon" aria-label="Close notifications" onClick={onClose}><X size={20} /></button>
        </div>
        {store.loaded && store.notifications.length === 0 ? (
          <p class="inbox-empty muted">Nothing yet. Follow people to hear when they go live, and ask to be reminded of rooms you like.</p>
        ) : (
          <ul id="notifications" class="notification-list">
            {store.notifications.map((n) => (
              <li key={n.id}><NotificationRow n={n} onOpen={() => { onClose(); void store.open(n); }} /></li>
            ))}
          </ul>
        )}
        {store.next && <button id="more-notifications" type="button" class="ghost small more" onClick={() => store.more()}>Older</button>}
      </section>
    </>
  );
}

function NotificationRow({ n, onOpen }: { n: Notification; onOpen: () => void }) {
  const Icon = ICONS[n.type] ?? BellIcon;
  return (
    <a class={`notification${n.read ? '' : ' unread'}`} href={n.link || '#'} data-notification-id={n.id} data-type={n.type}
      data-room-id={n.roomId ?? undefined}
      onClick={(e) => { e.preventDefault(); onOpen(); }}>
      <span class="notification-avatar">
        {n.actor ? <Avatar name={n.actor.displayName} url={n.actor.avatarUrl} size="m" /> : <span class="avatar avatar-m plain"><Icon size={22} /></span>}
        {n.actor && <span class={`type-icon type-${n.type}`}><Icon size={12} /></span>}
      </span>
      <span class="notification-body">
        <span class="notification-text">{n.text}</span>
        <span class="muted small">{when(n.createdAt)}</span>
      </span>
      {!n.read && <span class="unread-dot" aria-label="unread" />}
    </a>
  );
}

/** New notifications as they arrive, on every page (rendered once by main.tsx). */
export function Toasts() {
  const store = useNotifications();
  if (store.toasts.length === 0) return null;
  return (
    <div id="toasts" class="toasts" aria-live="polite">
      {store.toasts.map(({ notification: n }) => <Toast key={n.id} n={n} />)}
    </div>
  );
}

/** One toast: it goes by itself after TOAST_MS, but not while the pointer rests on it. */
function Toast({ n }: { n: Notification }) {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (held) return undefined;
    const timer = window.setTimeout(() => notifications.dismissToast(n.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [held]);
  return (
    <div class="toast" data-notification-id={n.id} data-type={n.type}
      onMouseEnter={() => setHeld(true)} onMouseLeave={() => setHeld(false)}>
      <NotificationRow n={n} onOpen={() => notifications.open(n)} />
      <button type="button" class="icon" aria-label="Dismiss" onClick={() => notifications.dismissToast(n.id)}><X size={18} /></button>
    </div>
  );
}
