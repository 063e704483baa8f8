// /settings: one's profile (name, bio, the avatar with a preview before it is uploaded), the people one blocked (each
// with Unblock), and API keys (create, shown once; list; delete).
import { Camera, Check, Copy, KeyRound, Trash2, Upload } from 'lucide-preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Account, ApiError, api, me } from '../api';
import type { ApiKeyList, BlockList, NewApiKey } from '../../../protocol/salotto-api';
import { Profile, ProfileChanges, profile, profileLink, uploadAvatar } from '../people';
import { capitalise } from '../refusals';
import { Avatar, Banner, Brand, when } from './common';
import { PROFILE_SAVED } from './Header';

const BIO_MAX = 160;
const NAME_MAX = 64;
/** The server's limit (people.avatar-max-bytes, 2 MiB by default): a bigger picture is made smaller first. */
const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];

/**
 * The picture as the server takes it: a WebP (which the server's decoders cannot read) or one over the size limit is
 * drawn again in the browser, as the centred square at most 1024 pixels wide, a PNG (JPEG if that is still too big).
 */
async function uploadable(file: File): Promise<Blob> {
  if (file.type !== 'image/webp' && file.size <= AVATAR_MAX_BYTES) return file;
  const bitmap = await createImageBitmap(file);
  const side = Math.min(bitmap.width, bitmap.height);
  const size = Math.min(side, 1024);
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  canvas.getContext('2d')!.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, size, size);
  const encode = (type: string, quality?: number) => new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The picture could not be read.'))), type, quality));
  const png = await encode('image/png');
  return png.size <= AVATAR_MAX_BYTES ? png : encode('image/jpeg', 0.9);
}

const message = (e: unknown) => (e instanceof ApiError ? capitalise(e.message) : String(e));

export function SettingsPage() {
  const [account, setAccount] = useState<Account | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { me().then(setAccount); document.title = 'Settings · Salotto'; }, []);
  if (account === undefined) return <div class="page"><Brand /><p class="muted center-text" role="status">Opening your settings…</p></div>;
  if (account === null) {
    return (
      <div class="page center">
        <Brand />
        <section class="card notice-card">
          <h1>Log in to change your settings</h1>
          <div class="row center"><a class="button primary" href="/">Log in</a></div>
        </section>
      </div>
    );
  }
  return (
    <div class="page settings-page">
      <Brand />
      <Banner text={error} onClose={() => setError(null)} />
      <main class="home-main">
        <h1 class="page-title">Settings</h1>
        <ProfileSettings account={account} onError={(e) => setError(message(e))} />
        <Blocks onError={(e) => setError(message(e))} />
        <ApiKeys onError={(e) => setError(message(e))} />
      </main>
    </div>
  );
}

function ProfileSettings({ account, onError }: { account: Account; onError: (e: unknown) => void }) {
  const [person, setPerson] = useState<Profile | null>(null);
  const [displayName, setDisplayName] = useState(account.displayName);
  const [bio, setBio] = useState('');
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    profile(account.username).then((p) => { setPerson(p); setDisplayName(p.displayName); setBio(p.bio ?? ''); }).catch(onError);
  }, []);
  useEffect(() => () => { if (preview) URL.revokeObjectURL(preview); }, [preview]);

  const choose = (chosen: File | undefined) => {
    setFileProblem(null);
    setSaved(false);
    if (!chosen) return;
    if (!AVATAR_TYPES.includes(chosen.type)) {
      setFileProblem('Pick a PNG, JPEG, WebP or GIF picture.');
      return;
    }
    setFile(chosen);
    setPreview(URL.createObjectURL(chosen));
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    try {
      let p = await api<Profile>('PUT', '/api/me/profile', { displayName: displayName.trim(), bio: bio.trim() } satisfies ProfileChanges);
      if (file) {
        p = await uploadAvatar(await uploadable(file));
        setFile(null);
        setPreview(null);
      }
      setPerson(p);
      setSaved(true);
      void me(); // the header's name
      window.dispatchEvent(new Event(PROFILE_SAVED)); // and its picture
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'payload_too_large' || e.code === 'unsupported_media_type')) setFileProblem(capitalise(e.message));
      else onError(e);
    } finally {
      setBusy(false);
    }
  };

  const removeAvatar = async () => {
    try {
      await api('DELETE', '/api/me/avatar');
      setPerson(person && { ...person, avatarUrl: null });
      setFile(null);
      setPreview(null);
    } catch (e) {
      onError(e);
    }
  };

  const shown = preview ?? person?.avatarUrl ?? null;
  const bioLength = [...bio].length;
  return (
    <section id="profile-settings" class="card">
      <form class="stack" onSubmit={save}>
        <div class="settings-head">
          <h2>Profile</h2>
          <a class="small" href={profileLink(account.username)}>See your profile</a>
        </div>
        <div class="avatar-edit">
          <button type="button" class="avatar-pick" aria-label="Choose a picture" onClick={() => input.current?.click()}>
            <span id="avatar-preview" data-preview={preview ? 'new' : shown ? 'current' : 'initials'}>
              <Avatar name={displayName || account.displayName} url={shown} size="xl" />
            </span>
            <span class="avatar-pick-badge"><Camera size={16} /></span>
          </button>
          <div class="stack tight">
            <input ref={input} id="avatar-file" type="file" accept={AVATAR_TYPES.join(',')} class="visually-hidden"
              onChange={(e) => choose(e.currentTarget.files?.[0])} />
            <button id="choose-avatar" type="button" class="small" onClick={() => input.current?.click()}>
              <Upload size={16} />{shown ? 'Change picture' : 'Add a picture'}
            </button>
            {preview && <span class="muted small">Preview: saved when you press Save.</span>}
            {!preview && person?.avatarUrl && (
              <button id="remove-avatar" type="button" class="small ghost" onClick={removeAvatar}>Remove picture</button>
            )}
            {!shown && <span class="muted small">Square pictures look best: PNG, JPEG, WebP or GIF.</span>}
          </div>
        </div>
        {fileProblem && <p id="avatar-problem" class="notice-inline small" role="alert">{fileProblem}</p>}
        <label>Display name
          <input id="profile-display-name" required maxLength={NAME_MAX} value={displayName}
            onInput={(e) => { setDisplayName(e.currentTarget.value); setSaved(false); }} />
        </label>
        <label><span>Bio <span class="muted">({BIO_MAX - bioLength} left)</span></span>
          <textarea id="profile-bio-input" rows={3} maxLength={BIO_MAX} value={bio} placeholder="A line about you"
            onInput={(e) => { setBio(e.currentTarget.value); setSaved(false); }} />
        </label>
        <div class="row end">
          {saved && <span id="profile-saved" class="muted small saved"><Check size={16} />Saved</span>}
          <button id="save-profile" type="submit" class="primary" disabled={busy || !displayName.trim() || bioLength > BIO_MAX}>Save</button>
        </div>
      </form>
    </section>
  );
}

function Blocks({ onError }: { onError: (e: unknown) => void }) {
  const [blocks, setBlocks] = useState<BlockList['blocks'] | null>(null);
  const load = () => api<BlockList>('GET', '/api/me/blocks').then((b) => setBlocks(b.blocks)).catch(onError);
  useEffect(() => { load(); }, []);
  const unblock = async (identity: string) => {
    try {
      await api('DELETE', `/api/me/blocks/${encodeURIComponent(identity)}`);
      setBlocks((b) => b?.filter((x) => x.identity !== identity) ?? null);
    } catch (e) {
      onError(e);
    }
  };
  return (
    <section id="blocks" class="card stack">
      <div>
        <h2>Blocked</h2>
        <p class="muted small">People you blocked cannot join your rooms.</p>
      </div>
      {blocks && blocks.length === 0 && <p class="muted">You have not blocked anyone.</p>}
      {blocks && blocks.length > 0 && (
        <ul class="person-list">
          {blocks.map((b) => (
            <li key={b.identity} data-identity={b.identity}>
              <Avatar name={b.name} size="s" />
              <span class="who-lines"><strong>{b.name}</strong><span class="muted small">blocked {when(b.at)}</span></span>
              <button type="button" class="small unblock" onClick={() => unblock(b.identity)}>Unblock</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ApiKeys({ onError }: { onError: (e: unknown) => void }) {
  const [keys, setKeys] = useState<ApiKeyList['apiKeys'] | null>(null);
  const [name, setName] = useState('');
  const [made, setMade] = useState<NewApiKey | null>(null);
  const [copied, setCopied] = useState(false);
  const [confirm, setConfirm] = useState<string | null>(null);
  const load = () => api<ApiKeyList>('GET', '/api/me/api-keys').then((k) => setKeys(k.apiKeys)).catch(onError);
  useEffect(() => { load(); }, []);
  const create = async (event: Event) => {
    event.preventDefault();
    try {
      setMade(await api<NewApiKey>('POST', '/api/me/api-keys', { name: name.trim() }));
      setCopied(false);
      setName('');
      load();
    } catch (e) {
      onError(e);
    }
  };
  const remove = async (id: string) => {
    setConfirm(null);
    try {
      await api('DELETE', `/api/me/api-keys/${encodeURIComponent(id)}`);
      setKeys((k) => k?.filter((x) => x.id !== id) ?? null);
      if (made?.id === id) setMade(null);
    } catch (e) {
      onError(e);
    }
  };
  const copy = async () => {
    if (!made) return;
    await navigator.clipboard.writeText(made.key).catch(() => {
      (document.getElementById('new-key') as HTMLInputElement).select();
      document.execCommand('copy');
    });
    setCopied(true);
  };
  return (
    <section id="api-keys" class="card stack">
      <div>
        <h2>API keys</h2>
        <p class="muted small">For programs that use Salotto as you (docs/api.md). Anyone with a key can act as you: keep it secret.</p>
      </div>
      {made && (
        <div id="new-key-box" class="new-key stack tight" role="status">
          <strong>Copy your key now: it is not shown again.</strong>
          <div class="row">
            <input id="new-key" class="grow mono" readOnly value={made.key} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" onClick={copy}>{copied ? <><Check size={16} />Copied</> : <><Copy size={16} />Copy</>}</button>
          </div>
        </div>
      )}
      <form id="new-key-form" class="row" onSubmit={create}>
        <input id="key-name" class="grow" required maxLength={64} placeholder="Name, e.g. my bot" value={name}
          onInput={(e) => setName(e.currentTarget.value)} />
        <button id="create-key" type="submit" disabled={!name.trim()}><KeyRound size={16} />Create</button>
      </form>
      {keys && keys.length === 0 && <p class="muted">No API keys.</p>}
      {keys && keys.length > 0 && (
        <ul class="person-list">
          {keys.map((k) => (
            <li key={k.id} data-key-id={k.id}>
              <span class="key-icon"><KeyRound size={18} /></span>
              <span class="who-lines"><strong>{k.name}</strong><span class="muted small"><span class="mono">sk_{k.id}_…</span> · made {when(k.createdAt)}</span></span>
              {confirm === k.id ? (
                <span class="row">
                  <button type="button" class="small ghost" onClick={() => setConfirm(null)}>Keep</button>
                  <button type="button" class="small danger delete-key-yes" onClick={() => remove(k.id)}>Delete</button>
                </span>
              ) : (
                <button type="button" class="small danger-ghost delete-key" aria-label={`Delete the key ${k.name}`}
                  onClick={() => setConfirm(k.id)}><Trash2 size={15} /></button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
