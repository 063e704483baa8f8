// What the room and the peer-to-peer baseline page share, so that the bandwidth comparison between them is fair:
// the same capture constraints, the same peer connection settings, the same way of reading receive statistics.

/** Capture constraints: one microphone, one 640x480 camera. */
export const MEDIA_CONSTRAINTS = Object.freeze({
  audio: true as const,
  video: Object.freeze({ width: 640, height: 480 }),
});

/**
 * Peer connection settings. Salotto bundles everything onto its one UDP port and gives its own host candidate in its
 * SDP, so no STUN or TURN server is needed.
 */
export const PEER_CONNECTION_CONFIG: RTCConfiguration = Object.freeze({
  bundlePolicy: 'max-bundle',
  rtcpMuxPolicy: 'require',
  iceServers: [],
});

/** The devices someone picked on the pre-join screen (empty: the browser's default). */
export interface DeviceChoice {
  cameraId: string;
  micId: string;
}

/** Capture constraints for the chosen devices; `video: false` for audio only (spaces). */
export function constraints(choice: DeviceChoice | null, video: boolean): MediaStreamConstraints {
  const audio: MediaTrackConstraints | boolean = choice?.micId ? { deviceId: { exact: choice.micId } } : true;
  if (!video) return { audio, video: false };
  return {
    audio,
    video: { ...MEDIA_CONSTRAINTS.video, ...(choice?.cameraId ? { deviceId: { exact: choice.cameraId } } : {}) },
  };
}

type Stats = Record<string, any>;

/** The inbound-rtp report of one receiver, or null before any packet arrived. */
export async function inboundRtp(receiver: RTCRtpReceiver): Promise<Stats | null> {
  const report = await receiver.getStats();
  for (const entry of report.values()) {
    if (entry.type === 'inbound-rtp') return entry;
  }
  return null;
}

/** The outbound-rtp reports of one peer connection, by kind (for video with several layers: the highest). */
export async function outboundRtp(pc: RTCPeerConnection): Promise<Record<string, Stats>> {
  const byKind: Record<string, Stats> = {};
  for (const entry of (await pc.getStats()).values()) {
    if (entry.type !== 'outbound-rtp') continue;
    const previous = byKind[entry.kind];
    if (!previous || (entry.bytesSent ?? 0) > (previous.bytesSent ?? 0)) byKind[entry.kind] = entry;
  }
  return byKind;
}

/** The figures the tests read from a video inbound-rtp report. */
export function videoFigures(entry: Stats | null) {
  return {
    framesDecoded: entry?.framesDecoded ?? 0,
    framesReceived: entry?.framesReceived ?? 0,
    bytesReceived: entry?.bytesReceived ?? 0,
    packetsReceived: entry?.packetsReceived ?? 0,
    packetsLost: entry?.packetsLost ?? 0,
    frameWidth: entry?.frameWidth ?? 0,
    frameHeight: entry?.frameHeight ?? 0,
    timestamp: entry?.timestamp ?? performance.timeOrigin + performance.now(),
  };
}

/** The figures the tests read from an audio inbound-rtp report. */
export function audioFigures(entry: Stats | null) {
  return {
    totalSamplesReceived: entry?.totalSamplesReceived ?? 0,
    audioLevel: entry?.audioLevel ?? 0,
    totalAudioEnergy: entry?.totalAudioEnergy ?? 0,
    bytesReceived: entry?.bytesReceived ?? 0,
    packetsReceived: entry?.packetsReceived ?? 0,
    packetsLost: entry?.packetsLost ?? 0,
    timestamp: entry?.timestamp ?? performance.timeOrigin + performance.now(),
  };
}
