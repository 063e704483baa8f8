// A direct peer-to-peer call between two of these pages: the baseline that Salotto's forwarding is measured against.
// There is no signaling server: the test relays the SDP, which carries all candidates (no trickle):
//
//   const offer = await a.evaluate(() => p2p.createOffer());
//   const answer = await b.evaluate((sdp) => p2p.acceptOffer(sdp), offer);
//   await a.evaluate((sdp) => p2p.acceptAnswer(sdp), answer);
//
// Both pages send and receive, as they do in a Salotto room, with the room's capture and connection settings.

import './styles.css';
import { MEDIA_CONSTRAINTS, PEER_CONNECTION_CONFIG, audioFigures, inboundRtp, videoFigures } from './media';

const GATHERING_TIMEOUT_MS = 5_000;

const pc = new RTCPeerConnection(PEER_CONNECTION_CONFIG);
const status = document.querySelector('#status')!;
const remoteStream = new MediaStream();
let localStream: MediaStream | null = null;

pc.addEventListener('connectionstatechange', () => { status.textContent = pc.connectionState; });
pc.addEventListener('track', (event) => {
  remoteStream.addTrack(event.track);
  document.querySelector<HTMLVideoElement>('#remote')!.srcObject = remoteStream;
});

async function startCamera(): Promise<MediaStream> {
  localStream ??= await navigator.mediaDevices.getUserMedia(MEDIA_CONSTRAINTS);
  document.querySelector<HTMLVideoElement>('#local')!.srcObject = localStream;
  return localStream;
}

/** The local description once every candidate is in it (or after a few seconds, with what there is). */
async function completeLocalDescription(): Promise<string> {
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, GATHERING_TIMEOUT_MS);
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') { clearTimeout(timer); resolve(); }
      });
    });
  }
  return pc.localDescription!.sdp;
}

async function createOffer(): Promise<string> {
  const stream = await startCamera();
  for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendrecv', streams: [stream] });
  await pc.setLocalDescription(await pc.createOffer());
  return completeLocalDescription();
}

async function acceptOffer(sdp: string): Promise<string> {
  const stream = await startCamera();
  await pc.setRemoteDescription({ type: 'offer', sdp });
  for (const transceiver of pc.getTransceivers()) {
    const track = stream.getTracks().find((t) => t.kind === transceiver.receiver.track.kind) ?? null;
    transceiver.direction = 'sendrecv';
    await transceiver.sender.replaceTrack(track);
    transceiver.sender.setStreams(stream);
  }
  await pc.setLocalDescription(await pc.createAnswer());
  return completeLocalDescription();
}

async function acceptAnswer(sdp: string): Promise<void> {
  await pc.setRemoteDescription({ type: 'answer', sdp });
}

/** Receive figures of the peer's tracks: { video: {...}, audio: {...} }, as window.salotto.stats() gives per person. */
async function stats() {
  const result: Record<string, unknown> = {};
  for (const transceiver of pc.getTransceivers()) {
    const kind = transceiver.receiver.track.kind;
    const entry = await inboundRtp(transceiver.receiver);
    result[kind] = kind === 'video' ? videoFigures(entry) : audioFigures(entry);
  }
  return result;
}

/** The addresses of the candidate pair in use, for the report. */
async function selectedPair() {
  const report = await pc.getStats();
  for (const entry of report.values()) {
    if (entry.type === 'transport' && entry.selectedCandidatePairId) {
      const pair = report.get(entry.selectedCandidatePairId);
      const local = report.get(pair.localCandidateId);
      const remote = report.get(pair.remoteCandidateId);
      return { local: `${local.address}:${local.port}`, remote: `${remote.address}:${remote.port}` };
    }
  }
  return null;
}

(window as any).p2p = Object.freeze({
  createOffer,
  acceptOffer,
  acceptAnswer,
  stats,
  selectedPair,
  get connectionState() { return pc.connectionState; },
  close: () => { pc.close(); for (const track of localStream?.getTracks() ?? []) track.stop(); },
});
