// Home: sign up or log in; the rooms open now (yours and public ones), your scheduled rooms, and creating a room,
// after which its link is shown with a copy button.
import { Mic, Radio, Video } from 'lucide-preact';
import { useEffect, useState } from 'preact/hooks';
import { Account, ApiError, Room, RoomKind, api, logIn, logOut, logOutEverywhere, me, signUp } from '../api';
import type { NewRoom, RoomList as Rooms } from '../api';
import { capitalise } from '../refusals';
import { ACTIVITIES, Banner, Brand, KINDS, activityLabel } from './common';

export function Home() {
  const [account, setAccount] = useState<Account | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [mine, setMine] = useState<Room[]>([]);
  const [publicRooms, setPublicRooms] = useState<Room[]>([]);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Room | null>(null);

  const refresh = async () => {
    const who = await me();
    setAccount(who);
    const [pub, own] = await Promise.all([
      api<Rooms>('GET', '/api/rooms').then((r) => r.rooms).catch(() => []),
      who ? api<Rooms>('GET', '/api/me/rooms').then((r) => r.rooms).catch(() => []) : Promise.resolve([]),
    ]);
    setPublicRooms(pub);
    setMine(own);
  };
  useEffect(() => { refresh(); }, []);

  const fail = (e: unknown) => setError(e instanceof ApiError ? capitalise(e.message) : String(e));
  const openNow = [...mine.filter((r) => r.state === 'open'),
    ...publicRooms.filter((r) => r.state === 'open' && !mine.some((m) => m.id === r.id))];
  const scheduled = mine.filter((r) => r.state === 'scheduled');

  return (
    <div class="page home">
      <Brand>
        {account && <span id="who" class="who">{account.displayName}</span>}
        {account && (
          <button id="log-out" type="button" class="ghost" onClick={async () => { await logOut(); setCreated(null); refresh(); }}>
            Log out
          </button>
        )}
        {account && (
          <button id="log-out-everywhere" type="button" class="ghost" title="End this account's sessions in every browser"
            onClick={async () => {
              try { await logOutEverywhere(); setCreated(null); refresh(); } catch (e) { fail(e); }
            }}>
            Log out everywhere
          </button>
        )}
      </Brand>
      <Banner text={error} onClose={() => setError(null)} />
      <main class="home-main">
        {account === null && <AccountForms onDone={() => { setError(null); refresh(); }} onError={fail} />}
        {account && (
          <section class="card create-card">
            {created ? (
              <ShareLink room={created} onDone={() => { setCreated(null); setCreating(false); }} />
            ) : creating ? (
              <CreateRoom onCreated={(room) => { setCreated(room); setError(null); refresh(); }} onError={fail}
                onCancel={() => setCreating(false)} />
            ) : (
              <div class="create-cta">
                <div>
                  <h2>Start something</h2>
                  <p class="muted">A video call, a live with up to four on stage, or an audio space.</p>
                </div>
                <button id="new-room" type="button" class="primary" onClick={() => setCreating(true)}>Create a room</button>
              </div>
            )}
          </section>
        )}
        <RoomList id="open-rooms" title="Open now" rooms={openNow} empty="No room is open right now." account={account} />
        {account && (
          <RoomList id="scheduled-rooms" title="Your scheduled rooms" rooms={scheduled}
            empty="Nothing scheduled. Pick a start time when you create a room." account={account} />
        )}
      </main>
    </div>
  );
}

function AccountForms({ onDone, onError }: { onDone: () => void; onError: (e: unknown) => void }) {
  const [mode, setMode] = useState<'log-in' | 'sign-up'>('sign-up');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      if (mode === 'sign-up') await signUp(username.trim(), password, displayName.trim() || undefined);
      else await logIn(username.trim(), password);
      onDone();
    } catch (e) {
      onError(e);
    }
  };
  return (
    <section id="account" class="card account-card">
      <h1 class="hero">Rooms for your people, on your own server.</h1>
      <div class="tabs" role="tablist">
        <button type="button" role="tab" id="tab-sign-up" aria-selected={mode === 'sign-up'} onClick={() => setMode('sign-up')}>Sign up</button>
        <button type="button" role="tab" id="tab-log-in" aria-selected={mode === 'log-in'} onClick={() => setMode('log-in')}>Log in</button>
      </div>
      <form id="account-form" class="stack" onSubmit={submit}>
        <label>Username
          <input id="username" autocomplete="username" required minLength={3} maxLength={32} value={username}
            onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        {mode === 'sign-up' && (
          <label>Display name <span class="muted">(optional)</span>
            <input id="display-name" autocomplete="nickname" maxLength={64} value={displayName}
              onInput={(e) => setDisplayName(e.currentTarget.value)} />
          </label>
        )}
        <label>Password
          <input id="password" type="password" required minLength={8}
            autocomplete={mode === 'sign-up' ? 'new-password' : 'current-password'} value={password}
            onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <button id="account-submit" type="submit" class="primary">{mode === 'sign-up' ? 'Create account' : 'Log in'}</button>
      </form>
      <p class="muted small">Joining a room needs no account: open its link and type your name.</p>
    </section>
  );
}

const EMOJIS = ['🎉', '🎸', '🎮', '☕', '🍕', '⚽', '🎨', '📖', '🧘', '🐶', '🌙', '✨'];

function CreateRoom({ onCreated, onError, onCancel }: {
  onCreated: (room: Room) => void; onError: (e: unknown) => void; onCancel: () => void;
}) {
  const [kind, setKind] = useState<RoomKind>('call');
  const [title, setTitle] = useState('');
  const [activity, setActivity] = useState('hanging_out');
  const [emoji, setEmoji] = useState(EMOJIS[0]);
  const [custom, setCustom] = useState('');
  const [visibility, setVisibility] = useState<'public' | 'private'>('public');
  const [knock, setKnock] = useState(false);
  const [practice, setPractice] = useState(false);
  const [start, setStart] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const room = await api<Room>('POST', '/api/rooms', {
        kind,
        title: title.trim(),
        activity: activity === 'custom' ? `${emoji} ${custom.trim()}`.trim() : activity,
        visibility,
        knock,
        ...(kind === 'live' && practice ? { practice: true } : {}),
        ...(start ? { scheduledStart: new Date(start).toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
      } satisfies NewRoom);
      onCreated(room);
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form id="create-form" class="stack" onSubmit={submit}>
      <h2>Create a room</h2>
      <fieldset class="segmented" aria-label="Kind">
        {(['call', 'live', 'space'] as const).map((k) => (
          <label key={k} class={kind === k ? 'on' : ''}>
            <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
            <span class="kind-choice">{k === 'call' ? <Video size={18} /> : k === 'live' ? <Radio size={18} /> : <Mic size={18} />} {KINDS[k]}</span>
          </label>
        ))}
      </fieldset>
      <p class="muted small">{{
        call: 'Everyone sees and hears everyone, up to 50 people.',
        live: 'You and up to 3 guests on stage, any number of viewers.',
        space: 'Audio only: you pick who speaks, anyone can listen.',
      }[kind]}</p>
      <label>Title
        <input id="title" required maxLength={120} value={title} placeholder="Friday catch-up"
          onInput={(e) => setTitle(e.currentTarget.value)} />
      </label>
      <label>Activity
        <select id="activity" value={activity} onChange={(e) => setActivity(e.currentTarget.value)}>
          {Object.entries(ACTIVITIES).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          <option value="custom">✏️ Your own…</option>
        </select>
      </label>
      {activity === 'custom' && (
        <div class="row">
          <select id="custom-emoji" aria-label="Emoji" value={emoji} onChange={(e) => setEmoji(e.currentTarget.value)}>
            {EMOJIS.map((e) => <option key={e} value={e}>{e}</option>)}
          </select>
          <input id="custom-activity" required maxLength={50} placeholder="Book club" value={custom}
            onInput={(e) => setCustom(e.currentTarget.value)} />
        </div>
      )}
      <div class="row wrap">
        <label class="grow">Who can find it
          <select id="visibility" value={visibility} onChange={(e) => setVisibility(e.currentTarget.value as any)}>
            <option value="public">Public: on your profile and home</option>
            <option value="private">Private: only people with the link</option>
          </select>
        </label>
        <label class="grow">Start <span class="muted">(optional)</span>
          <input id="start" type="datetime-local" value={start} onInput={(e) => setStart(e.currentTarget.value)} />
        </label>
      </div>
      <label class="check">
        <input id="knock" type="checkbox" checked={knock} onChange={(e) => setKnock(e.currentTarget.checked)} />
        Knock to enter: you admit each newcomer
      </label>
      {kind === 'live' && (
        <label class="check">
          <input id="practice" type="checkbox" checked={practice} onChange={(e) => setPractice(e.currentTarget.checked)} />
          Start backstage: practice with your guests, then go live
        </label>
      )}
      <div class="row end">
        <button type="button" class="ghost" onClick={onCancel}>Cancel</button>
        <button id="create" type="submit" class="primary" disabled={busy}>Create</button>
      </div>
    </form>
  );
}

function ShareLink({ room, onDone }: { room: Room; onDone: () => void }) {
  const url = new URL(room.link, location.href).href;
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      const input = document.getElementById('share-link') as HTMLInputElement;
      input.select();
      document.execCommand('copy');
    }
    setCopied(true);
  };
  return (
    <div id="share" class="stack">
      <h2>“{room.title}” is ready</h2>
      <p class="muted">
        {room.state === 'scheduled'
          ? `Scheduled for ${new Date(room.scheduledStart!).toLocaleString()}. Share the link with the people you invite.`
          : 'Share this link: anyone with it can join, with an account or just a name.'}
      </p>
      <div class="row">
        <input id="share-link" class="grow" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        <button id="copy" type="button" onClick={copy}>{copied ? 'Copied ✓' : 'Copy'}</button>
      </div>
      <div class="row end">
        <button type="button" class="ghost" onClick={onDone}>Done</button>
        <a id="open-room" class="button primary" href={room.link}>{room.state === 'scheduled' ? 'Open it now' : 'Go to the room'}</a>
      </div>
    </div>
  );
}

function RoomList({ id, title, rooms, empty, account }: {
  id: string; title: string; rooms: Room[]; empty: string; account: Account | null | undefined;
}) {
  return (
    <section id={id} class="room-list">
      <h2>{title}</h2>
      {rooms.length === 0 ? <p class="muted">{empty}</p> : (
        <ul>
          {rooms.map((room) => (
            <li key={room.id}>
              <a class={`room-card kind-${room.kind}`} href={room.link}>
                <span class="kind-badge">{KINDS[room.kind]}</span>
                <span class="room-title">{room.title}</span>
                <span class="muted small">
                  {activityLabel(room.activity)}
                  {room.state === 'open' ? ` · ${room.people} in it` : ''}
                  {room.state === 'scheduled' && room.scheduledStart ? ` · ${new Date(room.scheduledStart).toLocaleString()}` : ''}
                  {account && room.hostAccountId === account.id ? ' · yours' : ''}
                  {room.visibility === 'private' ? ' · private' : ''}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
