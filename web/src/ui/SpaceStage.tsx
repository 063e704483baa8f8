// A space: the speakers (host, co-hosts, speakers) as large avatars with a ring while they talk, the listeners as
// small avatars with their raised hands, and the emoji reactions floating over whoever sent them.
import { Hand, MicOff } from 'lucide-preact';
import { Member, RoomClient } from '../room/client';
import { Avatar, Player, ROLE_LABELS } from './common';

export function SpaceStage({ client }: { client: RoomClient }) {
  const members = [...client.members.values()];
  const rank = (m: Member) => ['host', 'co_host', 'speaker'].indexOf(m.role);
  const speakers = members.filter((m) => !RoomClient.isAudience(m.role)).sort((a, b) => rank(a) - rank(b));
  const listeners = members.filter((m) => RoomClient.isAudience(m.role))
    .sort((a, b) => Number(b.handRaised) - Number(a.handRaised) || a.name.localeCompare(b.name));
  return (
    <div class="space">
      <section aria-label="Speakers">
        <h2 class="section-title">Speakers</h2>
        <ul id="speakers" class="avatars large">
          {speakers.map((m) => <Person key={m.participantId} member={m} client={client} />)}
        </ul>
      </section>
      <section aria-label="Listeners">
        <h2 class="section-title">Listeners · {client.audienceCount}</h2>
        <ul id="listeners" class="avatars small">
          {listeners.map((m) => <Person key={m.participantId} member={m} client={client} />)}
        </ul>
        {/* Past the listed audience, the others are counted, not listed (docs/protocol.md "A large audience"). */}
        {client.audienceCount > listeners.length && (
          <p id="more-listeners" class="muted small">and {client.audienceCount - listeners.length} more listening</p>
        )}
      </section>
      {/* The speakers' voices: one audio element per remote speaker. */}
      <div class="sinks" aria-hidden="true">
        {[...client.tiles.values()].filter((t) => !t.self && t.stream).map((t) => <Player key={t.key} audio stream={t.stream} />)}
      </div>
    </div>
  );
}

function Person({ member, client }: { member: Member; client: RoomClient }) {
  const mine = member.participantId === client.participantId;
  const speaking = client.speaking.has(member.participantId);
  const reactions = client.reactions.filter((r) => r.participantId === member.participantId);
  return (
    <li class={`person${speaking ? ' speaking' : ''}`} data-participant-id={member.participantId} data-role={member.role}>
      <span class="ring"><Avatar name={member.name} size={RoomClient.isAudience(member.role) ? 'm' : 'l'} /></span>
      {member.handRaised && <span class="hand" aria-label="hand raised"><Hand size={18} /></span>}
      {mine && !RoomClient.isAudience(member.role) && !client.micOn && <span class="muted-mic" aria-label="mic off"><MicOff size={18} /></span>}
      {reactions.map((r) => <span key={r.id} class="reaction" aria-label={`reacted ${r.emoji}`}>{r.emoji}</span>)}
      <span class="person-name">{mine ? `${member.name} (you)` : member.name}</span>
      {!RoomClient.isAudience(member.role) && <small class="muted">{ROLE_LABELS[member.role]}</small>}
    </li>
  );
}
