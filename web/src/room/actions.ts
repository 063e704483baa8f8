// What every room page shares beneath the room client: change notification for the screens, the passing banner, and
// the host's and co-hosts' actions over the HTTP API (docs/api.md), whose refusals become the banner.

import { ApiError, RoleChange, RoomChanges, api, roomPath } from '../api';
import { report } from '../people';
import { capitalise } from '../refusals';

export abstract class RoomActions {
  readonly room: string;
  /** A passing message (an action refused, a lost connection), shown until dismissed. */
  banner: string | null = null;
  #listeners = new Set<() => void>();

  constructor(room: string) {
    this.room = room;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  changed(): void {
    for (const listener of this.#listeners) listener();
  }

  showBanner(text: string): void {
    this.banner = text;
    this.changed();
  }

  dismissBanner(): void {
    this.banner = null;
    this.changed();
  }

  /** Runs an action; a refusal becomes the banner. Returns whether it worked. */
  async #act(action: () => Promise<unknown>): Promise<boolean> {
    try {
      await action();
      return true;
    } catch (error) {
      this.showBanner(error instanceof ApiError ? capitalise(error.message) : (error as Error).message);
      return false;
    }
  }

  setRole(participantId: string, role: string): Promise<boolean> {
    return this.#act(() => api('PUT', roomPath(this.room, `/participants/${participantId}/role`), { role } satisfies RoleChange));
  }

  removePerson(participantId: string): Promise<boolean> {
    return this.#act(() => api('POST', roomPath(this.room, `/participants/${participantId}/remove`)));
  }

  answerKnock(lobbyId: string, admit: boolean): Promise<boolean> {
    return this.#act(() => api('POST', roomPath(this.room, `/lobby/${lobbyId}/${admit ? 'admit' : 'deny'}`)));
  }

  /** Host: turns down someone's request for the stage (lowers their hand). */
  declineRequest(participantId: string): Promise<boolean> {
    return this.#act(() => api('DELETE', roomPath(this.room, `/participants/${participantId}/hand`)));
  }

  /** Host (in a live: anyone on stage): removes the person and keeps them out of all of this account's rooms. */
  blockPerson(participantId: string): Promise<boolean> {
    return this.#act(() => api('POST', roomPath(this.room, `/participants/${participantId}/block`)));
  }

  /** Reports a person in the room, or the room itself, to the server's admins. */
  report(reason: string, participantId?: string): Promise<boolean> {
    return this.#act(() => report(participantId
      ? { kind: 'participant', roomId: this.room, participantId, reason }
      : { kind: 'room', roomId: this.room, reason }));
  }

  setLocked(locked: boolean): Promise<boolean> {
    return this.#act(() => api('PATCH', roomPath(this.room), { locked } satisfies RoomChanges));
  }

  /** Host of a live in practice: opens it to the audience; those waiting come in. */
  goLive(): Promise<boolean> {
    return this.#act(() => api('POST', roomPath(this.room, '/go-live')));
  }

  endForAll(): Promise<boolean> {
    return this.#act(() => api('POST', roomPath(this.room, '/end')));
  }
}
