// Rooms as lists show them (home, profiles): a card with the kind, LIVE while a live is live, the title, the host,
// how many are in it or when it starts, and for a scheduled room "Remind me".
import { BellRing, CalendarClock, Check } from 'lucide-preact';
import { useEffect, useState } from 'preact/hooks';
import { Account, ApiError } from '../api';
import { HomeRoom, profileLink, remindMe } from '../people';
import { capitalise } from '../refusals';
import { Avatar, KINDS, activityLabel, when } from './common';

export function RoomCards({ id, title, rooms, empty, account, onError, hostless }: {
  id: string; title: string; rooms: HomeRoom[]; empty?: string; account: Account | null | undefined;
  onError: (message: string) => void;
  /** A profile's own list: the host is the page's person, not repeated on each card. */
  hostless?: boolean;
}) {
  if (rooms.length === 0 && !empty) return null;
  return (
    <section id={id} class="room-list">
      <h2>{title}</h2>
      {rooms.length === 0 ? <p class="muted">{empty}</p> : (
        <ul>
          {rooms.map((r) => <li key={r.room.id}><RoomCard item={r} account={account} onError={onError} hostless={hostless} /></li>)}
        </ul>
      )}
    </section>
  );
}

function RoomCard({ item, account, onError, hostless }: {
  item: HomeRoom; account: Account | null | undefined; onError: (message: string) => void; hostless?: boolean;
}) {
  const { room, host } = item;
  const [reminded, setReminded] = useState(item.remindMe);
  useEffect(() => setReminded(item.remindMe), [item.remindMe]);
  const [busy, setBusy] = useState(false);
  const mine = account != null && room.hostAccountId === account.id;
  const scheduled = room.state === 'scheduled';
  const toggle = async () => {
    if (!account) { location.assign('/'); return; }
    setBusy(true);
    try {
      await remindMe(room.id, !reminded);
      setReminded(!reminded);
    } catch (e) {
      onError(e instanceof ApiError ? capitalise(e.message) : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class={`room-card kind-${room.kind}${scheduled ? ' scheduled' : ''}`} data-room-id={room.id}>
      <a class="room-card-link" href={room.link} aria-label={`${room.title}, ${KINDS[room.kind]}`}>
        <span class="room-card-top">
          {room.kind === 'live' && room.state === 'open' && !room.practice
            ? <span class="live-badge">LIVE</span> : <span class="kind-badge">{KINDS[room.kind]}</span>}
          <span class="room-title">{room.title}</span>
        </span>
        <span class="muted small room-card-meta">
          {activityLabel(room.activity)}
          {room.state === 'open' && room.people ? ` · ${room.people} in it` : ''}
          {mine ? ' · yours' : ''}
          {room.visibility === 'private' ? ' · private' : ''}
          {item.invited && !mine ? ' · you are invited' : ''}
        </span>
        {scheduled && room.scheduledStart && (
          <span class="room-when small"><CalendarClock size={14} /> {when(room.scheduledStart)}
            {/^(in |now)/.test(when(room.scheduledStart)) && (
              <span class="muted"> · {new Date(room.scheduledStart).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' })}</span>
            )}
          </span>
        )}
      </a>
      {(!hostless || (scheduled && !mine)) && (
        <div class="room-card-foot">
          {!hostless && (
            <a class="host-chip" href={profileLink(host.username)}>
              <Avatar name={host.displayName} url={host.avatarUrl} size="xs" /><span>{host.displayName}</span>
            </a>
          )}
          {scheduled && !mine && (
            <button type="button" class={`small remind${reminded ? ' on' : ''}`} aria-pressed={reminded} disabled={busy} onClick={toggle}>
              {reminded ? <><Check size={15} />Reminder set</> : <><BellRing size={15} />Remind me</>}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
