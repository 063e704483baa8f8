// Coming back after the room's WebSocket dropped without our leaving: attempts spaced by a backoff of 250 ms doubling
// to 2 s (a blip is bridged at once, a server that is away is not hammered), each a `resume` of the same participant,
// or, once the resume grace has passed or Salotto no longer knows us (`resume_failed`), a fresh join. The browser
// coming back online after being offline starts an attempt at once: the network may have changed under us.

import { ApiError } from '../api';

export const FIRST_WAIT_MS = 250;
export const LONGEST_WAIT_MS = 2_000;
/** Past this without reaching Salotto, the page stops trying and says so (with "Try again"). */
export const GIVE_UP_MS = 120_000;

/** What an attempt does, supplied by the room client. */
export interface Comeback {
  /** Still in the room (not left, not over): worth trying again. */
  inRoom(): boolean;
  /** How long after a drop Salotto keeps our place (`resumeGraceMs` of `joined`). */
  graceMs(): number;
  resume(): Promise<void>;
  rejoin(): Promise<void>;
  /** Salotto will not have us back (the room ended, we were removed, it is draining): the end screen. */
  refused(error: unknown): void;
  /** The "Reconnecting…" state on or off. */
  reconnecting(on: boolean): void;
  /** Closes the current socket without leaving; its close event calls `run()`. */
  drop(): void;
}

export class Reconnector {
  readonly #to: Comeback;
  #next = FIRST_WAIT_MS;
  #wake: (() => void) | null = null;
  #running = false;
  #now = false;
  #wentOffline = false;

  constructor(to: Comeback) {
    this.#to = to;
  }

  start(): void {
    window.addEventListener('offline', this.#onOffline);
    window.addEventListener('online', this.#onOnline);
  }

  stop(): void {
    window.removeEventListener('offline', this.#onOffline);
    window.removeEventListener('online', this.#onOnline);
    this.#wake?.(); // a loop waiting sees that we are no longer in the room, and ends
  }

  #onOffline = () => {
    this.#wentOffline = true;
  };

  #onOnline = () => {
    if (!this.#wentOffline || !this.#to.inRoom()) return;
    this.#wentOffline = false;
    this.#now = true;
    this.#next = FIRST_WAIT_MS;
    if (this.#running) this.#wake?.();
    else this.#to.drop();
  };

  /** Tries until back in the room, or refused; the room stays on screen all along. `fresh`: no resume, join afresh. */
  async run(fresh = false): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#to.reconnecting(true);
    const since = Date.now();
    this.#next = FIRST_WAIT_MS;
    try {
      while (this.#to.inRoom()) {
        if (this.#now) this.#now = false;
        else await this.#wait();
        if (!this.#to.inRoom()) return;
        if (Date.now() - since > GIVE_UP_MS) {
          this.#to.refused(new ApiError('network', 'Salotto cannot be reached: check your connection and try again.', 0));
          return;
        }
        fresh ||= Date.now() - since > this.#to.graceMs();
        try {
          if (fresh) await this.#to.rejoin();
          else await this.#to.resume();
          return;
        } catch (error) {
          const frame = (error as any)?.frame;
          if (frame && !fresh) {
            fresh = true; // resume_failed (or a server that cannot resume): join afresh, at once
            this.#now = true;
          } else if (frame || (error instanceof ApiError && error.code !== 'network')) {
            this.#to.refused(error);
            return;
          }
          // Salotto not reachable yet: try again after the next wait.
        }
      }
    } finally {
      this.#running = false;
      if (this.#to.inRoom()) this.#to.reconnecting(false);
    }
  }

  #wait(): Promise<void> {
    const ms = this.#next;
    this.#next = Math.min(this.#next * 2, LONGEST_WAIT_MS);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.#wake === done) this.#wake = null;
        resolve();
      };
      const timer = window.setTimeout(done, ms);
      this.#wake = done;
    });
  }
}
