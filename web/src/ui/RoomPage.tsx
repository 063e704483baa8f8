// A room's page, /r/{room}: the pre-join screen (name, camera and mic preview, device choice), the lobby while
// waiting to be admitted, the room itself, and the notice that says why the room is over for this person.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Mic, MicOff, Radio, Video, VideoOff } from 'lucide-preact';
import { Account, me } from '../api';
import { notifications } from '../notifications';
import { DeviceChoice, constraints } from '../media';
import { Notice, deviceNotice } from '../refusals';
import { RoomClient } from '../room/client';
import { installTestHooks } from '../room/testHooks';
import { Avatar, Banner, Brand, KINDS, Player, activityLabel, useClient } from './common';
import { InRoom } from './InRoom';

export function RoomPage({ room }: { room: string }) {
  const client = useMemo(() => new RoomClient(room), [room]);
  const [account, setAccount] = useState<Account | null | undefined>(undefined);
  useClient(client);
  useEffect(() => {
    // Only in the test build (vite.config.ts): the production build tree-shakes the hooks away.
    if (import.meta.env.MODE === 'test') installTestHooks(client);
    if (!room) {
      client.finish({ code: 'not_found', title: 'This room link is not valid', text: 'Check the link you were given.' });
      return;
    }
    client.describe();
    me().then(setAccount);
    notifications.quietRoom = room;
    const leave = () => { client.leave(); };
    window.addEventListener('pagehide', leave);
    return () => window.removeEventListener('pagehide', leave);
  }, [client]);

  if (client.phase === 'over') return <Over client={client} notice={client.over!} />;
  if (client.phase === 'left') return <Left client={client} />;
  if (client.phase === 'in') return <InRoom client={client} />;
  if (client.phase === 'waiting') return <Lobby client={client} />;
  if (!client.info || account === undefined) {
    return <div class="page center"><Brand /><p class="muted" role="status">Opening the room…</p></div>;
  }
  return <PreJoin client={client} account={account} />;
}

function RoomHeading({ client }: { client: RoomClient }) {
  const info = client.info!;
  return (
    <div class="room-heading">
      <span class={`kind-badge kind-${info.kind}`}>{KINDS[info.kind]}</span>
      <h1 id="room-name">{info.title}</h1>
      <p class="muted">{activityLabel(info.activity)}{info.state === 'open' && info.people ? ` · ${info.people} here now` : ''}</p>
    </div>
  );
}

function PreJoin({ client, account }: { client: RoomClient; account: Account | null }) {
  const info = client.info!;
  const hosting = account != null && account.id === info.hostAccountId;
  // Who comes in on stage: everyone in a call, the host of a live or a space (an audience joins without devices).
  const publishes = info.kind === 'call' || hosting;
  const video = info.kind !== 'space';
  const [name, setName] = useState(() => new URLSearchParams(location.search).get('name') ?? account?.displayName ?? '');
  const [preview, setPreview] = useState<MediaStream | null>(null);
  const [problem, setProblem] = useState<Notice | null>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [choice, setChoice] = useState<DeviceChoice>({ cameraId: '', micId: '' });
  const [joining, setJoining] = useState(false);
  const previewRef = useRef<MediaStream | null>(null);

  useEffect(() => {
    if (!publishes) return;
    let cancelled = false;
    setProblem(null);
    navigator.mediaDevices.getUserMedia(constraints(choice, video)).then(async (stream) => {
      if (cancelled) { stream.getTracks().forEach((t) => t.stop()); return; }
      previewRef.current?.getTracks().forEach((t) => t.stop());
      previewRef.current = stream;
      for (const t of stream.getAudioTracks()) t.enabled = client.micOn;
      for (const t of stream.getVideoTracks()) t.enabled = client.cameraOn;
      setPreview(stream);
      setDevices(await navigator.mediaDevices.enumerateDevices());
    }).catch((error) => {
      if (!cancelled) setProblem(deviceNotice(error, hosting || info.kind === 'call'));
    });
    return () => { cancelled = true; };
  }, [choice.cameraId, choice.micId]);

  // Hosting a call or a live needs a camera and a microphone (PRODUCT.md); a space's host needs a microphone.
  const blocked = publishes && hosting && (!preview || problem !== null);
  const waitingForDevices = publishes && !preview && !problem;
  const join = async (event: Event) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed || blocked) return;
    setJoining(true);
    const stream = previewRef.current;
    previewRef.current = null; // the room owns it now
    await client.join(trimmed, publishes ? stream : null, choice, publishes && !stream);
  };
  const toggle = (kind: 'audio' | 'video') => {
    if (kind === 'audio') client.micOn = !client.micOn; else client.cameraOn = !client.cameraOn;
    for (const t of (kind === 'audio' ? preview?.getAudioTracks() : preview?.getVideoTracks()) ?? []) {
      t.enabled = kind === 'audio' ? client.micOn : client.cameraOn;
    }
    client.changed();
  };
  // From a notification of a room that is on (notifications.ts): the audience goes straight in, one click in all.
  useEffect(() => {
    const params = new URLSearchParams(location.search);
    if (params.get('join') !== '1') return;
    params.delete('join');
    history.replaceState(null, '', `${location.pathname}${params.size ? `?${params}` : ''}`);
    if (account && !publishes && info.state === 'open' && name.trim()) {
      setJoining(true);
      void client.join(name.trim(), null, choice, false);
    }
  }, []);
  const cameras = devices.filter((d) => d.kind === 'videoinput');
  const mics = devices.filter((d) => d.kind === 'audioinput');

  return (
    <div class="page prejoin">
      <Brand />
      <main class="prejoin-main">
        {publishes && (
          <section class="preview card" aria-label="Your camera and microphone">
            {video ? (
              <div class="preview-video">
                {preview && client.cameraOn ? <Player id="preview" stream={preview} muted mirror /> : (
                  <div class="preview-off"><Avatar name={name || '?'} size="l" /></div>
                )}
              </div>
            ) : (
              <div class="preview-audio"><Avatar name={name || '?'} size="l" /><span class="muted">Audio only</span></div>
            )}
            {problem && (
              <div id="device-problem" class="notice-inline" role="alert">
                <strong>{problem.title}</strong> {problem.text}
                {!hosting && info.kind === 'call' && ' You can still join to see and hear the others.'}
              </div>
            )}
            {preview && (
              <div class="row wrap devices">
                <button id="preview-mic" type="button" class={client.micOn ? '' : 'off'} aria-pressed={client.micOn}
                  onClick={() => toggle('audio')}>{client.micOn ? <><Mic size={18} />Mic on</> : <><MicOff size={18} />Mic off</>}</button>
                {video && (
                  <button id="preview-camera" type="button" class={client.cameraOn ? '' : 'off'} aria-pressed={client.cameraOn}
                    onClick={() => toggle('video')}>{client.cameraOn ? <><Video size={18} />Camera on</> : <><VideoOff size={18} />Camera off</>}</button>
                )}
                {video && cameras.length > 0 && (
                  <select id="camera-select" aria-label="Camera" value={choice.cameraId || preview.getVideoTracks()[0]?.getSettings().deviceId}
                    onChange={(e) => setChoice({ ...choice, cameraId: e.currentTarget.value })}>
                    {cameras.map((d, i) => <option key={d.deviceId} value={d.deviceId}>{d.label || `Camera ${i + 1}`}</option>)}
                  </select>
                )}
                {mics.length > 0 && (
                  <select id="mic-select" aria-label="Microphone" value={choice.micId || preview.getAudioTracks()[0]?.getSettings().deviceId}
                    onChange={(e) => setChoice({ ...choice, micId: e.currentTarget.value })}>
                    {mics.map((d, i) => <option key={d.deviceId} value={d.deviceId}>{d.label || `Microphone ${i + 1}`}</option>)}
                  </select>
                )}
              </div>
            )}
          </section>
        )}
        <section class="card join-card">
          <RoomHeading client={client} />
          <p class="muted">
            {info.state === 'scheduled' && !hosting
              ? `It starts ${info.scheduledStart ? new Date(info.scheduledStart).toLocaleString() : 'later'}; the host opens it.`
              : publishes ? (info.kind === 'space' ? 'You will speak as the host.' : 'Everyone will see and hear you.')
                : info.kind === 'live' ? 'You will watch. Ask to join the stage once you are in.'
                  : 'You will listen. Raise your hand to ask to speak.'}
          </p>
          <form id="join-form" class="stack" onSubmit={join}>
            <label>{account ? `Your name (you are logged in as ${account.username})` : 'Your name'}
              <input id="name" name="name" maxLength={64} required autocomplete="nickname" value={name}
                autoFocus onInput={(e) => setName(e.currentTarget.value)} />
            </label>
            <button id="join" type="submit" class="primary" disabled={joining || blocked || waitingForDevices || !name.trim()}>
              {joining ? 'Joining…' : hosting && info.kind === 'live' && info.practice ? 'Go backstage'
                : hosting && info.kind === 'live' ? 'Go live' : hosting && info.state === 'scheduled' ? 'Open the room' : 'Join'}
            </button>
            {!account && <p class="muted small">No account needed. <a href="/">Log in</a> to join as yourself.</p>}
          </form>
        </section>
      </main>
    </div>
  );
}

function Lobby({ client }: { client: RoomClient }) {
  if (client.info?.kind === 'live') return <LiveWaiting client={client} />;
  return (
    <div class="page center">
      <Brand />
      <section id="lobby-screen" class="card lobby-card" role="status">
        <div class="pulse"><Avatar name={client.myName} size="l" /></div>
        <h1>Waiting to be let in</h1>
        <p class="muted">The host of “{client.info?.title}” knows you are here and will let you in soon.</p>
        <button id="leave-lobby" type="button" class="ghost" onClick={() => client.leave()}>Leave</button>
      </section>
    </div>
  );
}

/** A live still backstage: the viewer waits, and comes in by itself the moment the host goes live. */
function LiveWaiting({ client }: { client: RoomClient }) {
  return (
    <div class="page center">
      <Brand />
      <section id="lobby-screen" class="card lobby-card live-waiting" role="status" data-practice="true">
        <div class="waiting-mark"><Radio size={40} /></div>
        <p class="muted">{client.info?.title}</p>
        <h1 id="waiting-title">{client.waitingMessage ?? 'The live starts soon'}</h1>
        <p class="muted">The host is getting ready backstage. Stay on this page: you will be let in the moment they go live.</p>
        <button id="leave-lobby" type="button" class="ghost" onClick={() => client.leave()}>Leave</button>
      </section>
    </div>
  );
}

function Over({ client, notice }: { client: RoomClient; notice: Notice }) {
  const canRetry = ['room_locked', 'room_full', 'closed', 'network', 'join_failed', 'no_devices', 'not_allowed', 'replaced', 'invalid_token']
    .includes(notice.code);
  return (
    <div class="page center">
      <Brand />
      <section id="notice" class="card notice-card" role="alert" data-code={notice.code}>
        {client.info && <p class="muted">{client.info.title}</p>}
        <h1 id="notice-title">{notice.title}</h1>
        <p id="notice-text">{notice.text}</p>
        <div class="row center">
          {canRetry && <button id="try-again" type="button" class="primary" onClick={() => location.reload()}>Try again</button>}
          <a class="button ghost" href="/">Home</a>
        </div>
      </section>
    </div>
  );
}

function Left({ client }: { client: RoomClient }) {
  return (
    <div class="page center">
      <Brand />
      <section id="left" class="card notice-card">
        <h1>You left “{client.info?.title}”</h1>
        <div class="row center">
          <button id="rejoin" type="button" class="primary" onClick={() => location.reload()}>Rejoin</button>
          <a class="button ghost" href="/">Home</a>
        </div>
      </section>
      <Banner text={client.banner} onClose={() => client.dismissBanner()} />
    </div>
  );
}
