// The room once in: the stage of its kind (a call's grid, a live's stage of 1 to 4, a space's speakers and
// listeners), the people panel with the host's controls, knockers and stage requests, and the control bar.
import { useState } from 'preact/hooks';
import {
  ArrowDownToLine, Eye, Flag, Hand, Headphones, Heart, HeartHandshake, Lock, LockOpen, LogOut, Mic, MicOff, MonitorUp,
  Square, Users, Video, VideoOff, Wallet, X,
} from 'lucide-preact';
import { money } from '../live/live';
import { saysMore } from '../refusals';
import { RoomClient } from '../room/client';
import { Banner, KINDS, activityLabel, useClient } from './common';
import { BadgeSheet } from './live/BadgeSheet';
import { LiveComments } from './live/LiveComments';
import { Backstage, LiveStage } from './live/LiveStage';
import { MoneySheet } from './live/MoneySheet';
import { ReviewSheet } from './live/ReviewSheet';
import { People } from './People';
import { ReportDialog } from './Report';
import { SpaceStage } from './SpaceStage';
import { VideoGrid } from './VideoGrid';

const REACTIONS = ['👏', '❤️', '😂', '🔥', '💯', '🙌'];
const ICON = 20;

export function InRoom({ client }: { client: RoomClient }) {
  useClient(client);
  const kind = client.kind!;
  // A live's comments take the side column: its people panel opens by itself only on a wide screen.
  const [peopleOpen, setPeopleOpen] = useState(() => window.matchMedia(kind === 'live' ? '(min-width: 1440px)' : '(min-width: 900px)').matches);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [sheet, setSheet] = useState<'badge' | 'money' | 'review' | null>(null);
  const info = client.info!;
  const me = client.me;
  const audience = client.role ? RoomClient.isAudience(client.role) : false;
  const stageKind = kind === 'live' || kind === 'space';
  // Hands up: a live's host decides who joins the stage; a space's host and co-hosts who speaks.
  const decides = kind === 'live' ? client.role === 'host' : kind === 'space' && client.amHostOrCoHost;
  const requests = decides
    ? [...client.members.values()].filter((m) => m.handRaised && RoomClient.isAudience(m.role)) : [];
  const [reportingRoom, setReportingRoom] = useState(false);
  const signedIn = client.me?.accountId != null;
  const live = kind === 'live';
  const earns = live && (client.role === 'host' || client.role === 'guest');
  const earned = earns ? client.live.myEarnings() : null;

  return (
    <div class={`page room room-${kind}${peopleOpen ? ' people-open' : ''}${client.link === 'reconnecting' ? ' reconnecting' : ''}`}
      data-role={client.role} data-link={client.link}>
      <header class="room-bar">
        <a class="brand small" href="/" aria-label="Salotto home">S</a>
        <div class="room-title">
          <h1 id="room-name">{info.title}</h1>
          <span class="muted small">{KINDS[kind]} · {activityLabel(info.activity)}</span>
        </div>
        <div class="room-figures">
          {live && (client.practice
            ? <span id="live-state" class="live-badge practice">PRACTICE</span>
            : <span id="live-state" class="live-badge">LIVE</span>)}
          {stageKind && (
            <span id="viewer-count" class="count" aria-label={kind === 'live' ? 'viewers' : 'listeners'}
              data-count={client.audienceCount}>
              {kind === 'live' ? <Eye size={15} /> : <Headphones size={15} />} {client.audienceCount}
              <span class="count-word"> {kind === 'live' ? 'watching' : 'listening'}</span>
            </span>
          )}
          {earned && (
            <button id="earned" type="button" class="count earned" data-amount={earned.amount} onClick={() => setSheet('money')}
              aria-label="Your earnings in this live">
              <Wallet size={15} /> {money(earned.amount, client.live.earnings?.currency ?? 'USD')}
            </button>
          )}
          {kind === 'call' && <span id="people-count" class="count" data-count={client.members.size}><Users size={15} /> {client.members.size}</span>}
          {client.locked && <span id="locked-badge" class="count" title="Nobody new can come in"><Lock size={15} /> Locked</span>}
          {signedIn && client.role !== 'host' && (
            <button id="report-room" type="button" class="icon room-report" aria-label="Report this room" title="Report this room"
              onClick={() => setReportingRoom(true)}><Flag size={17} /></button>
          )}
        </div>
      </header>

      {/* What the person must see now: on a phone's live, these float under the see-through title bar. */}
      <div class="room-notices">
        {live && client.practice && <Backstage client={client} />}
        {client.draining !== null && (
          <div id="draining" class="banner drain" role="alert">
            <span class="drain-icon" aria-hidden="true">↻</span>
            <span>
              <strong id="draining-title">Salotto is restarting…</strong>{' '}
              <span id="draining-text">{saysMore(client.draining, 'Salotto is restarting') ?? 'This room will close in a moment.'}</span>
            </span>
          </div>
        )}
        <Banner text={client.banner} onClose={() => client.dismissBanner()} />
        {client.told && (
          <div id="told" class="banner soft told" role="status">
            <span id="told-text">{client.told}</span>
            <button type="button" class="icon" aria-label="Dismiss" onClick={() => client.tell(null)}><X size={18} /></button>
          </div>
        )}
        {client.requestDeclined && !me?.handRaised && (
          <div id="request-declined" class="banner soft" role="status">The host declined your request for now.</div>
        )}

        {client.invitation && (
          <div id="invitation" class="dialog" role="alertdialog" aria-labelledby="invitation-text">
            <p id="invitation-text">{client.invitation.message}</p>
            <div class="row end">
              <button id="decline-invitation" type="button" class="ghost" onClick={() => client.answerInvitation(false)}>Not now</button>
              <button id="accept-invitation" type="button" class="primary" onClick={() => client.answerInvitation(true)}>
                {kind === 'live' ? 'Join the stage' : 'Speak'}
              </button>
            </div>
          </div>
        )}

        {client.amHostOrCoHost && client.lobby.length > 0 && (
          <ul id="lobby" class="strip" aria-label="Waiting to come in">
            {client.lobby.map((k) => (
              <li key={k.lobbyId} data-lobby-id={k.lobbyId}>
                <span><strong>{k.name}</strong> {client.practice ? 'is waiting for the live to start' : 'is waiting to come in'}</span>
                <button type="button" class="danger-ghost deny" onClick={() => client.answerKnock(k.lobbyId, false)}>Deny</button>
                <button type="button" class="primary admit" onClick={() => client.answerKnock(k.lobbyId, true)}>
                  {client.practice ? 'Bring backstage' : 'Admit'}
                </button>
              </li>
            ))}
          </ul>
        )}
        {requests.length > 0 && (
          <ul id="requests" class="strip" aria-label={live ? 'Asking to join the stage' : 'Asking to speak'}>
            {requests.map((m) => (
              <li key={m.participantId} data-participant-id={m.participantId}>
                <Hand size={18} class="raised" aria-hidden="true" />
                <span><strong>{m.name}</strong> {live ? 'asks to join the stage' : 'raised a hand to speak'}</span>
                <button type="button" class="danger-ghost decline" onClick={() => client.declineRequest(m.participantId)}>
                  {live ? 'Decline' : 'Not now'}</button>
                <button type="button" class="primary accept" onClick={() => client.setRole(m.participantId, live ? 'guest' : 'speaker')}>
                  {live ? 'Accept' : 'Let speak'}</button>
              </li>
            ))}
          </ul>
        )}
      </div>

      <div class="room-body">
        <main class="stage-area" aria-label={kind === 'space' ? 'Speakers and listeners' : 'On stage'}>
          {client.link === 'reconnecting' && (
            <div id="reconnecting" class="reconnecting-pill" role="status" aria-live="polite">
              <span class="spinner" aria-hidden="true" />
              <span><strong>Reconnecting…</strong> <span class="muted">You are still in the room.</span></span>
            </div>
          )}
          {kind === 'space' ? <SpaceStage client={client} /> : live ? <LiveStage client={client} /> : <VideoGrid client={client} />}
        </main>
        {live && <LiveComments client={client} />}
        {peopleOpen && <People client={client} onClose={() => setPeopleOpen(false)} onReview={() => setSheet('review')} />}
      </div>

      {reportingRoom && (
        <ReportDialog title="Report this room?" quote={<><strong>{info.title}</strong> · {KINDS[kind]}</>}
          onClose={() => setReportingRoom(false)}
          onReport={async (reason) => {
            if (await client.report(reason)) {
              setReportingRoom(false);
              client.tell('Thanks: the admins will look at your report of this room.');
            }
          }} />
      )}
      {sheet && <div class="sheet-backdrop" onClick={() => setSheet(null)} />}
      {sheet === 'badge' && <BadgeSheet client={client} onClose={() => setSheet(null)} />}
      {sheet === 'money' && <MoneySheet client={client} onClose={() => setSheet(null)} />}
      {sheet === 'review' && <ReviewSheet client={client} onClose={() => setSheet(null)} />}

      {confirmEnd && (
        <div id="confirm-end" class="dialog" role="alertdialog">
          <p>End “{info.title}” for everyone?</p>
          <div class="row end">
            <button type="button" class="ghost" onClick={() => setConfirmEnd(false)}>Cancel</button>
            <button id="confirm-end-yes" type="button" class="danger" onClick={() => { setConfirmEnd(false); client.endForAll(); }}>
              End for all
            </button>
          </div>
        </div>
      )}

      <footer id="controls" class="controls">
        {client.publishing && (
          <button id="toggle-mic" type="button" class={client.micOn ? '' : 'off'} aria-pressed={client.micOn}
            onClick={() => client.toggleMic()}>
            {client.micOn ? <Mic size={ICON} /> : <MicOff size={ICON} />}<span class="label">{client.micOn ? 'Mic on' : 'Mic off'}</span>
          </button>
        )}
        {client.publishing && kind !== 'space' && (
          <button id="toggle-camera" type="button" class={client.cameraOn ? '' : 'off'} aria-pressed={client.cameraOn}
            onClick={() => client.toggleCamera()}>
            {client.cameraOn ? <Video size={ICON} /> : <VideoOff size={ICON} />}
            <span class="label">{client.cameraOn ? 'Camera on' : 'Camera off'}</span>
          </button>
        )}
        {client.publishing && kind === 'call' && (client.screenShareAllowed || client.sharing) && (
          <button id="share-screen" type="button" aria-pressed={client.sharing} class={client.sharing ? 'on' : ''}
            onClick={() => client.toggleScreenShare()}>
            <MonitorUp size={ICON} /><span class="label">{client.sharing ? 'Stop sharing' : 'Share screen'}</span>
          </button>
        )}
        {stageKind && audience && (
          <button id="raise-hand" type="button" class={me?.handRaised ? 'on' : ''} aria-pressed={Boolean(me?.handRaised)}
            onClick={() => client.raiseHand()}>
            <Hand size={ICON} />
            <span class="label">{me?.handRaised ? (kind === 'live' ? 'Cancel request' : 'Lower hand') : (kind === 'live' ? 'Ask to join' : 'Raise hand')}</span>
          </button>
        )}
        {stageKind && client.onStage && client.role !== 'host' && (
          <button id="leave-stage" type="button" onClick={() => client.leaveStage()}>
            <ArrowDownToLine size={ICON} /><span class="label">{kind === 'live' ? 'Leave the stage' : 'Stop speaking'}</span>
          </button>
        )}
        {live && audience && (
          <button id="send-heart" type="button" class="heart-button" onClick={() => client.live.heart()}>
            <Heart size={ICON} /><span class="label">Like</span>
          </button>
        )}
        {live && audience && (
          <button id="open-badges" type="button" onClick={() => setSheet('badge')}>
            <HeartHandshake size={ICON} /><span class="label">Badges</span>
          </button>
        )}
        {kind === 'space' && (
          <div id="reactions" class="reactions" role="group" aria-label="Reactions">
            {REACTIONS.map((e) => (
              <button key={e} type="button" class="react" aria-label={`React ${e}`} onClick={() => client.react(e)}>{e}</button>
            ))}
          </div>
        )}
        <button id="toggle-people" type="button" aria-pressed={peopleOpen} onClick={() => setPeopleOpen(!peopleOpen)}>
          <Users size={ICON} /><span class="label">People</span>
          {client.lobby.length + requests.length > 0 && <span class="dot">{client.lobby.length + requests.length}</span>}
        </button>
        {client.amHostOrCoHost && (
          <button id="lock" type="button" aria-pressed={client.locked} class={client.locked ? 'on' : ''}
            onClick={() => client.setLocked(!client.locked)}>
            {client.locked ? <Lock size={ICON} /> : <LockOpen size={ICON} />}<span class="label">{client.locked ? 'Unlock' : 'Lock'}</span>
          </button>
        )}
        {client.role === 'host' && (
          <button id="end-room" type="button" class="danger" onClick={() => setConfirmEnd(true)}>
            <Square size={ICON} fill="currentColor" /><span class="label">{kind === 'live' ? 'End live' : kind === 'space' ? 'End space' : 'End for all'}</span>
          </button>
        )}
        <button id="leave" type="button" class="danger" onClick={() => client.leave()}>
          <LogOut size={ICON} /><span class="label">Leave</span>
        </button>
      </footer>
    </div>
  );
}
