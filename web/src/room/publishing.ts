// The publisher connection of a person on stage: we offer our camera, mic (and screen) to Salotto, which answers
// (docs/protocol.md "Two peer connections"). It outlives the WebSocket: after a resume it restarts ICE in place
// (`createOffer({iceRestart: true})`), and after the server closed it (`transportClosed`) it is rebuilt on a new
// RTCPeerConnection with the same local tracks, so the camera never blinks.

import { DeviceChoice, PEER_CONNECTION_CONFIG, constraints } from '../media';
import { deviceNotice } from '../refusals';
import type { ClientFrame, FrameOf } from '../signaling';
import type { Source } from '../../../protocol/salotto-protocol';

/**
 * The camera goes out in simulcast layers (RFC 8853), lowest first, as the server expects them: the full size, a half
 * and a quarter. The server forwards each viewer the smallest layer that covers the tile it shows the video in
 * (`videoSize`), so a grid of small tiles costs everyone the low layers only. How many layers follows the camera's
 * size as Chromium's encoder allows it (three from 960x540, two from 480x270, else one): asked for more, it drops the
 * top ones, and the full size would be lost.
 */
export function cameraLayers(track: MediaStreamTrack): RTCRtpEncodingParameters[] | undefined {
  const { width = 0, height = 0 } = track.getSettings();
  const pixels = width * height;
  const full = { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 };
  const half = { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 };
  const quarter = { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 };
  if (pixels >= 960 * 540) return [quarter, half, full];
  if (pixels >= 480 * 270) return [half, full];
  return undefined;
}

/** How a publisher sends its offer and gets Salotto's answer: over the room's current WebSocket. */
export type Offer = (frame: ClientFrame) => Promise<FrameOf<'publishAnswer'>>;

export class Publishing {
  readonly stream: MediaStream;
  pc: RTCPeerConnection;
  #sources = new Map<RTCRtpTransceiver, Source>();
  #screen: RTCRtpTransceiver | null = null;
  readonly #offer: Offer;
  /** The layer changes, one after the other: a setParameters racing another's getParameters would be refused. */
  #layers: Promise<void> = Promise.resolve();

  constructor(stream: MediaStream, offer: Offer) {
    this.stream = stream;
    this.#offer = offer;
    this.pc = this.#connect();
  }

  get sharing(): boolean {
    return this.#screen !== null;
  }

  /** A new connection carrying the camera and mic (a screen share does not survive a new connection). */
  #connect(): RTCPeerConnection {
    const pc = new RTCPeerConnection(PEER_CONNECTION_CONFIG);
    this.#sources.clear();
    this.#screen = null;
    for (const track of this.stream.getTracks()) {
      const init: RTCRtpTransceiverInit = { direction: 'sendonly', streams: [this.stream] };
      const layers = track.kind === 'video' ? cameraLayers(track) : undefined;
      if (layers) init.sendEncodings = layers;
      const transceiver = pc.addTransceiver(track, init);
      this.#sources.set(transceiver, track.kind === 'audio' ? 'mic' : 'camera');
    }
    return pc;
  }

  /** Offers the connection's current tracks (again, after a track was added or stopped, or to restart ICE). */
  async negotiate(iceRestart = false): Promise<void> {
    const pc = this.pc;
    await pc.setLocalDescription(await pc.createOffer({ iceRestart }));
    // Mids exist only once the offer is applied.
    const sources: Record<string, Source> = {};
    for (const [transceiver, source] of this.#sources) {
      if (transceiver.mid && !(transceiver as any).stopped && transceiver.currentDirection !== 'stopped') {
        sources[transceiver.mid] = source;
      }
    }
    const answer = await this.#offer({ type: 'publish', sdp: pc.localDescription!.sdp, sources });
    if (pc !== this.pc || pc.signalingState === 'closed') return; // replaced meanwhile
    await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
  }

  /**
   * Dynacast (`publisherLayers`): of the sender on `mid`, sends the simulcast layers whose rids are `active` and pauses
   * the others, nobody receiving them; the rest of its parameters stay as they are.
   */
  setActiveLayers(mid: string, active: string[]): Promise<void> {
    const pc = this.pc;
    this.#layers = this.#layers.then(async () => {
      if (pc !== this.pc || pc.signalingState === 'closed') return; // a new connection starts with every layer on
      const sender = pc.getTransceivers().find((t) => t.mid === mid)?.sender;
      if (!sender) return;
      const parameters = sender.getParameters();
      let changed = false;
      for (const encoding of parameters.encodings ?? []) {
        if (!encoding.rid) continue;
        const on = active.includes(encoding.rid);
        if ((encoding.active ?? true) !== on) {
          encoding.active = on;
          changed = true;
        }
      }
      if (changed) await sender.setParameters(parameters);
    }).catch((error) => console.warn(`could not set the layers of ${mid}:`, error));
    return this.#layers;
  }

  /** Salotto closed our publisher transport (`transportClosed`): publish the same tracks on a new connection. */
  async reconnect(): Promise<void> {
    this.pc.close();
    this.pc = this.#connect();
    await this.negotiate();
  }

  /** Adds a shared screen; the caller negotiates. */
  addScreen(track: MediaStreamTrack, stream: MediaStream): void {
    const transceiver = this.pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    this.#sources.set(transceiver, 'screen');
    this.#screen = transceiver;
  }

  /** Stops the shared screen; returns whether there was one (the caller then negotiates). */
  removeScreen(): boolean {
    const transceiver = this.#screen;
    if (!transceiver) return false;
    this.#screen = null;
    transceiver.sender.track?.stop();
    transceiver.stop();
    this.#sources.delete(transceiver);
    return true;
  }

  /** Closes the connection and stops the camera and mic. */
  close(): void {
    this.#screen?.sender.track?.stop();
    this.#screen = null;
    this.pc.close();
    for (const track of this.stream.getTracks()) track.stop();
  }
}

/**
 * The camera and mic to publish: the pre-join screen's preview when it still runs (without video in a space), or a
 * new capture. A refusal carries the `notice` that says why (a host needs both).
 */
export async function capture(preview: MediaStream | null, devices: DeviceChoice | null, audioOnly: boolean,
  hosting: boolean): Promise<MediaStream> {
  if (preview && audioOnly) {
    for (const track of preview.getVideoTracks()) { track.stop(); preview.removeTrack(track); }
  }
  if (preview && preview.getTracks().some((t) => t.readyState !== 'ended')) return preview;
  try {
    return await navigator.mediaDevices.getUserMedia(constraints(devices, !audioOnly));
  } catch (error) {
    throw Object.assign(new Error('no camera or microphone'), { notice: deviceNotice(error, hosting) });
  }
}
