// The room events of a `roomEvents` frame (docs/protocol.md "Room events"), applied in order to what this page knows
// of the room: presence, roles, raised hands, the lock, the room's settings, reactions.

import type { Room } from '../api';
import type { RoomEventFrame } from '../../../protocol/salotto-protocol';
import type { RemoteMedia } from './remote';

export interface RoomState {
  participantId: string | null;
  members: Map<string, { participantId: string; name: string; role: string; handRaised: boolean }>;
  remote: RemoteMedia;
  requestDeclined: boolean;
  locked: boolean;
  info: Room | null;
  /** The audience's size as Salotto counts it (`audienceChanged`, or the snapshot's head counts); null: not told. */
  audience: number | null;
}

export interface RoomEventEffects {
  myRoleChanged(role: string): void;
  reaction(participantId: string, emoji: string): void;
}

export function applyRoomEvent(state: RoomState, event: RoomEventFrame, effects: RoomEventEffects): void {
  switch (event.type) {
    case 'memberJoined':
      state.members.set(event.member.participantId, event.member);
      if (event.member.participantId !== state.participantId) {
        state.remote.addParticipant(event.member.participantId, event.member.name);
      }
      break;
    case 'memberLeft':
      state.members.delete(event.participantId);
      state.remote.removeParticipant(event.participantId);
      break;
    case 'roleChanged': {
      const member = state.members.get(event.participantId);
      if (member) Object.assign(member, { role: event.role, handRaised: false });
      if (event.participantId === state.participantId) effects.myRoleChanged(event.role);
      else state.remote.refresh(event.participantId);
      break;
    }
    case 'handRaised':
    case 'handLowered': {
      const member = state.members.get(event.participantId);
      if (member) member.handRaised = event.type === 'handRaised';
      if (event.participantId === state.participantId) {
        state.requestDeclined = event.type === 'handLowered' && Boolean(event.declined);
      }
      break;
    }
    case 'lockChanged':
      state.locked = event.locked;
      break;
    case 'roomChanged':
      state.info = event.room;
      state.locked = event.room.locked;
      break;
    case 'audienceChanged':
      state.audience = event.audience;
      break;
    case 'reaction':
      effects.reaction(event.participantId, event.emoji);
      break;
    default:
      break;
  }
}
