// What a person is told, in words, when someone else changes their place in the room (PRODUCT.md "People are told"):
// made co-host or moderator and back, brought on stage or taken off it. What they did themselves (left the stage,
// accepted an invitation) needs no sentence.

import type { RoomKind } from '../api';

export function roleSentence(kind: RoomKind | null, from: string | null, to: string, ownDoing: boolean): string | null {
  if (!from || from === to) return null;
  if (to === 'co_host') {
    return kind === 'space'
      ? 'You are now a co-host: you can invite listeners to speak and move speakers back to the audience.'
      : 'You are now a co-host: you can let people in, lock the room and remove people.';
  }
  if (to === 'moderator') return 'You are now a moderator of this live: you can pin and hide comments and remove viewers.';
  if (from === 'moderator' && to === 'viewer') return 'You are no longer a moderator.';
  if (from === 'co_host' && to === 'participant') return 'You are no longer a co-host.';
  if (ownDoing) return null;
  if (to === 'guest') return 'The host brought you on stage: everyone watching sees and hears you now.';
  if (to === 'speaker') return 'The host let you speak: everyone listening hears you now.';
  if (to === 'viewer') return 'The host took you off the stage. You are watching again.';
  if (to === 'listener') return from === 'co_host' ? 'The host moved you back to the audience: you are no longer a co-host.'
    : 'The host moved you back to the audience.';
  return null;
}
