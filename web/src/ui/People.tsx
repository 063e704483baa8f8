// Who is here, by role, with the controls of the host and co-hosts: make co-host, invite to the stage or to speak,
// move back to the audience, remove, block (after a confirmation); and anyone's with an account: report a person.
// Knockers and stage requests have their own strips (InRoom).
import { Ban, ClipboardList, Flag, Hand, MessageCircle, MessageCircleOff, Shield, ShieldOff, X } from 'lucide-preact';
import { useEffect, useState } from 'preact/hooks';
import { Member, RoomClient } from '../room/client';
import { Avatar, ROLE_LABELS } from './common';
import { BlockDialog, ReportDialog } from './Report';

const ROLE_ORDER = ['host', 'co_host', 'participant', 'guest', 'speaker', 'moderator', 'viewer', 'listener'];

export function People({ client, onClose, onReview }: { client: RoomClient; onClose: () => void; onReview?: () => void }) {
  const members = [...client.members.values()].sort(
    (a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.name.localeCompare(b.name));
  const [reporting, setReporting] = useState<Member | null>(null);
  const [blocking, setBlocking] = useState<Member | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    if (!note) return undefined;
    const timer = window.setTimeout(() => setNote(null), 5000);
    return () => clearTimeout(timer);
  }, [note]);
  return (
    <aside id="people" class="people" aria-label="People">
      <div class="people-head">
        <h2>People · {members.length}</h2>
        <button type="button" class="icon" aria-label="Close the people panel" onClick={onClose}><X size={20} /></button>
      </div>
      {client.kind === 'live' && client.live.moderates && (
        <div class="people-tools">
          <button id="toggle-comments" type="button" class="small" aria-pressed={client.live.commentsOff}
            onClick={() => client.live.setCommentsOff(!client.live.commentsOff)}>
            {client.live.commentsOff ? <><MessageCircle size={16} />Turn comments on</> : <><MessageCircleOff size={16} />Turn comments off</>}
          </button>
          {client.role === 'host' && onReview && (
            <button id="open-review" type="button" class="small" onClick={onReview}
              title="What you and the moderator did, and the reports"><ClipboardList size={16} />Review</button>
          )}
        </div>
      )}
      {note && <p id="people-note" class="live-note people-note" role="status">{note}</p>}
      <ul id="people-list">
        {members.map((m) => <PersonRow key={m.participantId} member={m} client={client} onReport={setReporting} onBlock={setBlocking} />)}
      </ul>
      {reporting && (
        <ReportDialog title={`Report ${reporting.name}?`} quote={<><strong>{reporting.name}</strong> in “{client.info?.title}”</>}
          onClose={() => setReporting(null)}
          onReport={async (reason) => {
            const who = reporting;
            if (await client.report(reason, who.participantId)) {
              setReporting(null);
              setNote(`Thanks: the admins will look at your report of ${who.name}.`);
            }
          }} />
      )}
      {blocking && (
        <BlockDialog name={blocking.name} onClose={() => setBlocking(null)}
          onBlock={async () => {
            const who = blocking;
            setBlocking(null);
            if (await client.blockPerson(who.participantId)) setNote(`${who.name} is blocked from your rooms.`);
          }} />
      )}
    </aside>
  );
}

function PersonRow({ member, client, onReport, onBlock }: {
  member: Member; client: RoomClient; onReport: (m: Member) => void; onBlock: (m: Member) => void;
}) {
  const mine = member.participantId === client.participantId;
  const kind = client.kind;
  const id = member.participantId;
  const host = client.role === 'host';
  const audience = RoomClient.isAudience(member.role);
  const buttons = [];
  if (!mine && kind === 'live' && client.role === 'moderator' && member.role === 'viewer') {
    buttons.push(commentsButton(client, member));
    buttons.push(<button type="button" class="small danger-ghost remove" onClick={() => client.removePerson(id)}>Remove</button>);
  }
  if (!mine && kind === 'live' && host && audience) {
    buttons.push(member.role === 'moderator'
      ? <button type="button" class="small demote-moderator" onClick={() => client.setRole(id, 'viewer')}><ShieldOff size={14} />Remove as moderator</button>
      : <button type="button" class="small make-moderator" onClick={() => client.setRole(id, 'moderator')}><Shield size={14} />Make moderator</button>);
  }
  if (!mine && kind === 'live' && host && member.role !== 'host') buttons.push(commentsButton(client, member));
  if (!mine && client.amHostOrCoHost && member.role !== 'host') {
    if (kind === 'call' && host) {
      buttons.push(member.role === 'co_host'
        ? <button type="button" class="small demote-cohost" onClick={() => client.setRole(id, 'participant')}>Remove as co-host</button>
        : <button type="button" class="small make-cohost" onClick={() => client.setRole(id, 'co_host')}>Make co-host</button>);
    }
    const managesStage = kind === 'space' || (kind === 'live' && host);
    if (managesStage && audience) {
      buttons.push(<button type="button" class="small promote" onClick={() => client.setRole(id, kind === 'live' ? 'guest' : 'speaker')}>
        {kind === 'live' ? 'Invite to stage' : 'Invite to speak'}</button>);
    } else if (managesStage && (member.role === 'guest' || member.role === 'speaker' || (member.role === 'co_host' && host))) {
      buttons.push(<button type="button" class="small demote" onClick={() => client.setRole(id, kind === 'live' ? 'viewer' : 'listener')}>
        {kind === 'live' ? 'Take off stage' : 'Move to audience'}</button>);
    }
    if (kind === 'space' && host && member.role === 'speaker') {
      buttons.push(<button type="button" class="small make-cohost" onClick={() => client.setRole(id, 'co_host')}>Make co-host</button>);
    }
    if (host || member.role !== 'co_host') {
      buttons.push(<button type="button" class="small danger-ghost remove" onClick={() => client.removePerson(id)}>Remove</button>);
    }
  }
  // Blocking: the host; in a live, anyone on stage with an account (PRODUCT.md "Blocking").
  const signedIn = client.me?.accountId != null;
  const mayBlock = !mine && member.role !== 'host' && signedIn && (host || (kind === 'live' && client.onStage));
  if (mayBlock) {
    buttons.push(<button type="button" class="small danger-ghost block" onClick={() => onBlock(member)}><Ban size={14} />Block</button>);
  }
  if (!mine && signedIn) {
    buttons.push(<button type="button" class="small ghost report" onClick={() => onReport(member)}><Flag size={14} />Report</button>);
  }
  return (
    <li data-participant-id={id} data-role={member.role}>
      <Avatar name={member.name} size="s" />
      <span class="who">
        <span class="name">{member.handRaised && <Hand size={14} class="raised" aria-label="hand raised" />}{member.name}{mine ? ' (you)' : ''}</span>
        <small class="muted">{[ROLE_LABELS[member.role], member.guest ? 'via link' : '',
          kind === 'live' && client.live.offFor.has(id) ? 'comments off' : ''].filter(Boolean).join(' · ')}</small>
      </span>
      {buttons.length > 0 && <span class="actions">{buttons}</span>}
    </li>
  );
}

/** The host's and moderator's switch of one person's comments. */
function commentsButton(client: RoomClient, member: Member) {
  const off = client.live.offFor.has(member.participantId);
  return (
    <button type="button" class={`small ${off ? 'comments-on' : 'comments-off'}`}
      onClick={() => client.live.setMemberCommentsOff(member.participantId, !off)}>
      {off ? <MessageCircle size={14} /> : <MessageCircleOff size={14} />}{off ? 'Turn comments on' : 'Turn comments off'}
    </button>
  );
}
