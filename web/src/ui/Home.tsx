// Home: sign up or log in; "Live now from people you follow", "Upcoming" (with "Remind me"), "Open now" (GET
// /api/home), your own rooms, and creating a room (for later: with invitees), after which its link is shown with a
// copy button.
import { Mic, Radio, Video, X } from 'lucide-preact';
import { useEffect, useState } from 'preact/hooks';
import { Account, ApiError, Room, RoomKind, api, logIn, me, signUp } from '../api';
import type { NewRoom, RoomList as Rooms } from '../api';
import { notifications } from '../notifications';
import { Home as HomeLists, PersonSummary, asHomeRoom } from '../people';
import { capitalise } from '../refusals';
import { ACTIVITIES, Banner, Brand, KINDS } from './common';
import { RoomCards } from './Rooms';

export function Home() {
  const [account, setAccount] = useState<Account | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [home, setHome] = useState<HomeLists | null>(null);
  const [mine, setMine] = useState<Room[]>([]);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Room | null>(null);

  const refresh = async () => {
    const who = await me();
    setAccount(who);
    const [lists, own] = await Promise.all([
      homeLists(),
      who ? api<Rooms>('GET', '/api/me/rooms').then((r) => r.rooms).catch(() => []) : Promise.resolve([]),
    ]);
    setHome(lists);
    setMine(own);
  };
  useEffect(() => { refresh(); }, []);
  // A notification is news about a room: the lists follow it at once.
  useEffect(() => {
    let seen = notifications.notifications[0]?.id;
    return notifications.subscribe(() => {
      const newest = notifications.notifications[0]?.id;
      if (newest !== seen) { seen = newest; homeLists().then(setHome); }
    });
  }, []);
  // What people open and go live with changes all the time: the lists follow while the page is open.
  useEffect(() => {
    const timer = window.setInterval(() => { if (document.visibilityState === 'visible') homeLists().then(setHome); }, HOME_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const fail = (e: unknown) => setError(e instanceof ApiError ? capitalise(e.message) : String(e));
  const say = (text: string) => setError(text);
  const listed = new Set([...(home?.liveFromFollowed ?? []), ...(home?.upcoming ?? []), ...(home?.openNow ?? [])].map((r) => r.room.id));
  const me_: PersonSummary | null = account ? { username: account.username, displayName: account.displayName, avatarUrl: null, followedByMe: false } : null;
  const yours = me_ ? mine.filter((r) => r.state !== 'ended' && !listed.has(r.id)).map((r) => asHomeRoom(r, me_)) : [];

  return (
    <div class="page home">
      <Brand />
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
        {account && (
          <RoomCards id="following-live" title="Live now from people you follow" rooms={home?.liveFromFollowed ?? []} account={account}
            onError={say} empty="Nobody you follow is live. Follow people from their profile to see them here." />
        )}
        <RoomCards id="upcoming-rooms" title="Upcoming" rooms={home?.upcoming ?? []} account={account} onError={say}
          empty="Nothing scheduled yet." />
        <RoomCards id="open-rooms" title="Open now" account={account} onError={say}
          rooms={(home?.openNow ?? []).filter((r) => !home?.liveFromFollowed.some((f) => f.room.id === r.room.id))}
          empty={home?.liveFromFollowed.length ? 'Nothing else is open right now.' : 'No room is open right now.'} />
        {account && yours.length > 0 && (
          <RoomCards id="your-rooms" title="Your rooms" rooms={yours} account={account} onError={say} hostless />
        )}
      </main>
    </div>
  );
}

const HOME_REFRESH_MS = 15_000;

/** GET /api/home; a server without it (older) gives its open public rooms as "Open now". */
async function homeLists(): Promise<HomeLists> {
  try {
    return await api<HomeLists>('GET', '/api/home');
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) return { liveFromFollowed: [], upcoming: [], openNow: [] };
    const rooms = await api<Rooms>('GET', '/api/rooms').then((r) => r.rooms).catch(() => []);
    const nobody: PersonSummary = { username: '', displayName: 'Host', avatarUrl: null, followedByMe: false };
    return { liveFromFollowed: [], upcoming: [], openNow: rooms.filter((r) => r.state === 'open').map((r) => asHomeRoom(r, nobody)) };
  }
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
          <label><span>Display name <span class="muted">(optional)</span></span>
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
  const [invitees, setInvitees] = useState<string[]>([]);
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
        ...(start && invitees.length ? { invitees } : {}),
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
        <label class="grow"><span>Start <span class="muted">(optional)</span></span>
          <input id="start" type="datetime-local" value={start} onInput={(e) => setStart(e.currentTarget.value)} />
        </label>
      </div>
      {start && <Invitees value={invitees} onChange={setInvitees} />}
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

const USERNAME = /^[A-Za-z0-9_.]{3,32}$/;
const MAX_INVITEES = 50;

/** Who to invite to a scheduled room: usernames as chips (Enter, comma or space adds one; Backspace takes the last). */
function Invitees({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const add = (raw: string) => {
    const name = raw.trim().replace(/^@/, '');
    if (!name) return true;
    if (!USERNAME.test(name)) { setProblem(`“${name}” is not a username: 3 to 32 letters, digits, _ or .`); return false; }
    if (value.some((v) => v.toLowerCase() === name.toLowerCase())) { setText(''); return true; }
    if (value.length >= MAX_INVITEES) { setProblem(`At most ${MAX_INVITEES} invitees.`); return false; }
    onChange([...value, name]);
    setText('');
    setProblem(null);
    return true;
  };
  return (
    <div class="invitees">
      <label for="invitee-input"><span>Invite <span class="muted">(usernames: they are told now, before it starts and when it starts)</span></span></label>
      <div class="chips" onClick={() => document.getElementById('invitee-input')?.focus()}>
        {value.map((name) => (
          <span key={name} class="chip" data-username={name}>@{name}
            <button type="button" class="chip-remove" aria-label={`Do not invite ${name}`}
              onClick={() => onChange(value.filter((v) => v !== name))}><X size={14} /></button>
          </span>
        ))}
        <input id="invitee-input" autocomplete="off" autocapitalize="none" spellcheck={false} enterkeyhint="done"
          placeholder={value.length ? '' : 'alice, bob'} value={text}
          onInput={(e) => {
            const v = e.currentTarget.value;
            if (/[,\s]$/.test(v)) add(v.slice(0, -1)); else setText(v);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') { e.preventDefault(); add(text); }
            else if (e.key === 'Backspace' && !text && value.length) onChange(value.slice(0, -1));
          }}
          onBlur={() => { if (text) add(text); }} />
      </div>
      {problem && <p id="invitee-problem" class="muted small danger-text" role="alert">{problem}</p>}
    </div>
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
          ? `Scheduled for ${new Date(room.scheduledStart!).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })}. `
            + 'Your invitees and whoever asks to be reminded are told before it starts and when it starts.'
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
