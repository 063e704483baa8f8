// A person's profile, /u/{username}: the avatar (or initials), the name, the bio, the followers and following counts
// (each opens its list), the follow button (or "Edit profile" on one's own), and their public rooms open now and
// scheduled ones, with "Remind me".
import { Pencil, UserCheck, UserPlus, X } from 'lucide-preact';
import { useEffect, useState } from 'preact/hooks';
import { Account, ApiError, Room, me } from '../api';
import { Home, PersonPage, PersonSummary, Profile, asHomeRoom, follow, profile, profileLink, userPath } from '../people';
import { api } from '../api';
import { capitalise } from '../refusals';
import { Avatar, Banner, Brand } from './common';
import { RoomCards } from './Rooms';

export function ProfilePage({ username }: { username: string }) {
  const [person, setPerson] = useState<Profile | null | undefined>(undefined);
  const [missing, setMissing] = useState<string | null>(null);
  const [account, setAccount] = useState<Account | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [list, setList] = useState<'followers' | 'following' | null>(null);
  const [busy, setBusy] = useState(false);

  // A profile lists Rooms; whether the caller asked to be reminded of one is in the caller's home lists.
  const [reminded, setReminded] = useState<Set<string>>(new Set());
  const load = async () => {
    try {
      const [p, home] = await Promise.all([profile(username), api<Home>('GET', '/api/home').catch(() => null)]);
      setReminded(new Set((home?.upcoming ?? []).filter((r) => r.remindMe).map((r) => r.room.id)));
      setPerson(p);
    } catch (e) {
      setPerson(null);
      setMissing(e instanceof ApiError && e.status === 404 ? capitalise(e.message) : null);
      if (!(e instanceof ApiError && e.status === 404)) setError(e instanceof ApiError ? capitalise(e.message) : String(e));
    }
  };
  useEffect(() => { me().then(setAccount); load(); }, [username]);
  useEffect(() => { if (person) document.title = `${person.displayName} (@${person.username}) · Salotto`; }, [person]);

  const toggleFollow = async () => {
    if (!person) return;
    if (!account) { location.assign('/'); return; }
    setBusy(true);
    const on = !person.followedByMe;
    try {
      await follow(person.username, on);
      setPerson({ ...person, followedByMe: on, followers: Math.max(0, person.followers + (on ? 1 : -1)) });
    } catch (e) {
      setError(e instanceof ApiError ? capitalise(e.message) : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (person === undefined) return <div class="page"><Brand /><p class="muted center-text" role="status">Opening the profile…</p></div>;
  if (person === null) {
    return (
      <div class="page center">
        <Brand />
        <section id="notice" class="card notice-card" role="alert" data-code="not_found">
          <h1 id="notice-title">Nobody here</h1>
          <p id="notice-text">{missing ?? error ?? `There is no one called @${username} on this server.`}</p>
          <div class="row center"><a class="button ghost" href="/">Home</a></div>
        </section>
      </div>
    );
  }
  const host: PersonSummary = { username: person.username, displayName: person.displayName, avatarUrl: person.avatarUrl, followedByMe: person.followedByMe };
  const rooms = (list: Room[]) => list.map((r) => asHomeRoom(r, host, reminded.has(r.id)));
  return (
    <div class="page profile-page">
      <Brand />
      <Banner text={error} onClose={() => setError(null)} />
      <main class="home-main">
        <section id="profile" class="card profile-card" data-username={person.username}>
          <Avatar name={person.displayName} url={person.avatarUrl} size="xl" />
          <div class="profile-lines">
            <h1 id="profile-name">{person.displayName}</h1>
            <p class="muted">@{person.username}</p>
            {person.bio && <p id="profile-bio" class="bio">{person.bio}</p>}
            <div class="counts">
              <button id="followers" type="button" class="count-button" onClick={() => setList('followers')}>
                <strong id="followers-count" data-count={person.followers}>{person.followers.toLocaleString()}</strong> {person.followers === 1 ? 'follower' : 'followers'}
              </button>
              <button id="following" type="button" class="count-button" onClick={() => setList('following')}>
                <strong id="following-count" data-count={person.following}>{person.following.toLocaleString()}</strong> following
              </button>
            </div>
          </div>
          <div class="profile-action">
            {person.me ? (
              <a id="edit-profile" class="button" href="/settings"><Pencil size={16} />Edit profile</a>
            ) : (
              <button id="follow" type="button" class={person.followedByMe ? 'following' : 'primary'} aria-pressed={person.followedByMe}
                disabled={busy} onClick={toggleFollow}>
                {person.followedByMe ? <><UserCheck size={18} />Following</> : <><UserPlus size={18} />Follow</>}
              </button>
            )}
          </div>
        </section>
        <RoomCards id="profile-open" title="Open now" rooms={rooms(person.openRooms)} account={account} onError={setError} hostless
          empty={person.me ? 'Your public rooms show here while they are open.' : `${person.displayName} has no public room open right now.`} />
        <RoomCards id="profile-upcoming" title="Upcoming" rooms={rooms(person.upcomingRooms)} account={account} onError={setError} hostless
          empty={person.me ? 'Schedule a public room and it shows here, for people to ask to be reminded.' : 'Nothing scheduled.'} />
      </main>
      {list && <PeopleSheet username={person.username} which={list} account={account} onClose={() => { setList(null); load(); }} />}
    </div>
  );
}

/** Followers or following, newest first, page by page, each with a follow button. */
function PeopleSheet({ username, which, account, onClose }: {
  username: string; which: 'followers' | 'following'; account: Account | null | undefined; onClose: () => void;
}) {
  const [people, setPeople] = useState<PersonSummary[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const load = async (before: string | null) => {
    const page = await api<PersonPage>('GET', userPath(username, `/${which}?limit=50${before ? `&before=${encodeURIComponent(before)}` : ''}`));
    setPeople((p) => [...p, ...page.people]);
    setNext(page.next);
    setLoaded(true);
  };
  useEffect(() => { load(null).catch(() => setLoaded(true)); }, []);
  const toggle = async (p: PersonSummary) => {
    if (!account) { location.assign('/'); return; }
    await follow(p.username, !p.followedByMe).catch(() => {});
    setPeople((all) => all.map((x) => (x.username === p.username ? { ...x, followedByMe: !p.followedByMe } : x)));
  };
  return (
    <>
      <div class="sheet-backdrop" onClick={onClose} />
      <section id="people-sheet" class="sheet people-sheet" role="dialog" aria-labelledby="people-sheet-title">
        <div class="dialog-head">
          <h2 id="people-sheet-title">{which === 'followers' ? 'Followers' : 'Following'}</h2>
          <button type="button" class="icon" aria-label="Close" onClick={onClose}><X size={20} /></button>
        </div>
        {loaded && people.length === 0 && <p class="muted">{which === 'followers' ? 'No followers yet.' : 'Not following anyone yet.'}</p>}
        <ul class="person-list">
          {people.map((p) => (
            <li key={p.username}>
              <a class="person-link" href={profileLink(p.username)}>
                <Avatar name={p.displayName} url={p.avatarUrl} size="s" />
                <span class="who-lines"><strong>{p.displayName}</strong><span class="muted small">@{p.username}</span></span>
              </a>
              {account && account.username.toLowerCase() !== p.username.toLowerCase() && (
                <button type="button" class={`small ${p.followedByMe ? 'following' : 'primary'}`} onClick={() => toggle(p)}>
                  {p.followedByMe ? 'Following' : 'Follow'}
                </button>
              )}
            </li>
          ))}
        </ul>
        {next && <button type="button" class="ghost small" onClick={() => load(next)}>More</button>}
      </section>
    </>
  );
}
