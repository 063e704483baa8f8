// The room WebSocket (docs/protocol.md): JSON frames, requests matched to their replies by id/ref. The frames' types
// are generated from the server's records (protocol/salotto-protocol.d.ts): a renamed field fails this build.

import type { ClientFrame, ServerFrame } from '../../protocol/salotto-protocol';

export type { ClientFrame, ServerFrame };
/** A frame from the server. */
export type Frame = ServerFrame;
/** The frame of one type. */
export type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;
const OPEN_TIMEOUT_MS = 5_000;
type Pending = { replyType: string; resolve: (frame: any) => void; reject: (error: Error) => void };

export class Signaling {
  #socket: WebSocket;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #handlers = new Map<string, (frame: any) => void>();

  /** Opens the socket; fails after `timeoutMs` when the network swallows the handshake (a half-dead link). */
  static open(url: string, timeoutMs = OPEN_TIMEOUT_MS): Promise<Signaling> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const timer = window.setTimeout(() => {
        socket.close();
        reject(new Error(`cannot reach ${url} (no answer in ${timeoutMs} ms)`));
      }, timeoutMs);
      socket.addEventListener('open', () => { clearTimeout(timer); resolve(new Signaling(socket)); }, { once: true });
      socket.addEventListener('error', () => { clearTimeout(timer); reject(new Error(`cannot reach ${url}`)); }, { once: true });
    });
  }

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener('message', (event) => this.#receive(event.data));
    socket.addEventListener('close', (event) => {
      for (const { reject } of this.#pending.values()) reject(new Error('the connection closed'));
      this.#pending.clear();
      this.#handlers.get('close')?.(event);
    });
  }

  /** Registers the handler of one frame type. */
  on<T extends ServerFrame['type']>(type: T, handler: (frame: FrameOf<T>) => void): this;
  /** Registers the handler of the socket's closing, which gets the CloseEvent. */
  on(type: 'close', handler: (event: CloseEvent) => void): this;
  on(type: string, handler: (frame: any) => void): this {
    this.#handlers.set(type, handler);
    return this;
  }

  send(frame: ClientFrame): void {
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(frame));
  }

  /** Sends a frame with a fresh id; resolves with the reply of `replyType`, rejects with an `error` frame. */
  request<T extends ServerFrame['type']>(frame: ClientFrame, replyType: T): Promise<FrameOf<T>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { replyType, resolve, reject });
      this.send({ ...frame, id });
    });
  }

  close(): void {
    this.#socket.close(1000, 'leaving');
  }

  /**
   * Closes the socket without leaving the room (code 4000, ours): the network changed, and a new socket will resume.
   * Its close event runs the 'close' handler like any drop.
   */
  drop(): void {
    if (this.#socket.readyState === WebSocket.OPEN || this.#socket.readyState === WebSocket.CONNECTING) {
      this.#socket.close(4000, 'reconnecting');
    }
  }

  #receive(data: string) {
    let frame: Frame;
    try {
      frame = JSON.parse(data);
    } catch {
      console.warn('salotto: a frame that is not JSON', data);
      return;
    }
    const waiting = this.#takePending(frame);
    if (waiting && frame.type === 'error') {
      waiting.reject(Object.assign(new Error(`${frame.code}: ${frame.message}`), { frame }));
    } else if (waiting) {
      waiting.resolve(frame);
    }
    this.#handlers.get(frame.type)?.(frame);
  }

  // The request a frame answers: by ref, or else the oldest one waiting for that type of reply.
  #takePending(frame: Frame): Pending | null {
    let id = 'ref' in frame && typeof frame.ref === 'number' ? frame.ref : undefined;
    if (id == null || !this.#pending.has(id)) {
      id = [...this.#pending].find(([, p]) => p.replyType === frame.type)?.[0];
    }
    if (id == null) return null;
    const waiting = this.#pending.get(id)!;
    this.#pending.delete(id);
    return waiting;
  }
}
