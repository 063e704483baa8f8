#!/usr/bin/python3
"""A WHIP publisher and a WHEP player built on aiortc (Debian's python3-aiortc), for the WHIP/WHEP tests of it/.

An independent WebRTC stack, not a browser: it talks to Salotto only as RFC 9725 and the WHEP draft say. One JSON
config as the only argument; JSON lines on stdout (events, then one result line with "ok"), like the browser scripts:

  {"mode": "publish", "url": ".../whip/ROOM", "token": "..."}
      publishes a moving picture (VP8) and a 440 Hz tone (Opus); prints {"event": "published", ...} once the
      connection is up and media flows, then waits for "delete" on stdin.
  {"mode": "play", "url": ".../whep/ROOM", "token": "...", "minVideoFrames": 30, "minLoudAudioFrames": 50,
   "video": true, "timeoutMs": 30000}
      receives; prints {"event": "received", "videoFrames", "audioFrames", "loudAudioFrames", "maxRms"} once it
      has decoded enough (or at the timeout), then waits for "delete" on stdin.

On "delete" it sends DELETE to the session's Location with the same bearer and prints the result line
{"ok": true, "deleteStatus": 200, ...}. Python's standard library does the HTTP (aiohttp is not needed).
"""

import asyncio
import fractions
import json
import math
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import av
import numpy
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamTrack, VideoStreamTrack


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def http(method, url, token, body=None, content_type=None, headers=None):
    """One request; returns (status, headers as a list of pairs, body text). HTTP errors are answers too."""
    request = urllib.request.Request(url, method=method, data=body.encode() if body is not None else None)
    request.add_header("Authorization", "Bearer " + token)
    if content_type:
        request.add_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.getheaders(), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, list(error.headers.items()), error.read().decode()


class Tone(MediaStreamTrack):
    """A 440 Hz sine at 48 kHz, 20 ms a frame, paced in real time."""
    kind = "audio"

    def __init__(self):
        super().__init__()
        self.samples = 0
        self.start = None

    async def recv(self):
        if self.start is None:
            self.start = time.time()
        wait = self.start + self.samples / 48000 - time.time()
        if wait > 0:
            await asyncio.sleep(wait)
        n = 960
        t = (numpy.arange(n) + self.samples) / 48000
        pcm = (numpy.sin(2 * math.pi * 440 * t) * 8000).astype(numpy.int16).reshape(1, n)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = 48000
        frame.pts = self.samples
        frame.time_base = fractions.Fraction(1, 48000)
        self.samples += n
        return frame


class MovingBars(VideoStreamTrack):
    """320x240 bars that move every frame, so the encoder always has something to send."""

    def __init__(self):
        super().__init__()
        self.count = 0

    async def recv(self):
        pts, time_base = await self.next_timestamp()
        shift = (self.count * 4) % 320
        x = (numpy.arange(320) + shift) % 320
        row = numpy.stack([(x * 255 // 320), 255 - (x * 255 // 320), numpy.full(320, 128)], axis=1).astype(numpy.uint8)
        image = numpy.repeat(row[numpy.newaxis, :, :], 240, axis=0)
        frame = av.VideoFrame.from_ndarray(image, format="rgb24")
        frame.pts = pts
        frame.time_base = time_base
        self.count += 1
        return frame


async def stdin_line():
    return await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)


def location_of(url, headers):
    for name, value in headers:
        if name.lower() == "location":
            return urllib.parse.urljoin(url, value)
    raise RuntimeError("no Location in the answer")


def header(headers, wanted):
    return [value for name, value in headers if name.lower() == wanted.lower()]


async def negotiate(pc, config):
    """POSTs the offer (every candidate gathered: aiortc does not trickle); applies the answer."""
    await pc.setLocalDescription(await pc.createOffer())
    status, headers, body = http("POST", config["url"], config["token"], pc.localDescription.sdp, "application/sdp")
    if status != 201:
        raise RuntimeError(f"POST answered {status}: {body}")
    await pc.setRemoteDescription(RTCSessionDescription(sdp=body, type="answer"))
    return {
        "status": status,
        "location": location_of(config["url"], headers),
        "etag": (header(headers, "ETag") or [None])[0],
        "contentType": (header(headers, "Content-Type") or [None])[0],
        "links": header(headers, "Link"),
    }


async def publish(config):
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    video_sender = pc.addTrack(MovingBars())
    pc.addTrack(Tone())
    session = await negotiate(pc, config)
    connected = asyncio.get_running_loop().create_future()

    @pc.on("connectionstatechange")
    def on_state():
        log("publisher connection:", pc.connectionState)
        if pc.connectionState == "connected" and not connected.done():
            connected.set_result(True)
        if pc.connectionState == "failed" and not connected.done():
            connected.set_exception(RuntimeError("the connection failed"))

    await asyncio.wait_for(connected, config.get("timeoutMs", 30000) / 1000)
    # Media flows once the encoder has sent a little.
    for _ in range(100):
        stats = await video_sender.getStats()
        sent = sum(s.packetsSent for s in stats.values() if s.type == "outbound-rtp")
        if sent > 20:
            break
        await asyncio.sleep(0.1)
    emit({"event": "published", **session, "videoPacketsSent": sent})
    return pc, session


async def play(config):
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    pc.addTransceiver("video", direction="recvonly")
    pc.addTransceiver("audio", direction="recvonly")
    figures = {"videoFrames": 0, "audioFrames": 0, "loudAudioFrames": 0, "maxRms": 0.0, "videoSize": None}

    async def consume(track):
        while True:
            try:
                frame = await track.recv()
            except Exception:  # the track ended
                return
            if track.kind == "video":
                figures["videoFrames"] += 1
                figures["videoSize"] = [frame.width, frame.height]
            else:
                figures["audioFrames"] += 1
                samples = frame.to_ndarray().astype(numpy.float64)
                rms = float(numpy.sqrt(numpy.mean(samples * samples)))
                figures["maxRms"] = max(figures["maxRms"], rms)
                if rms > 500:
                    figures["loudAudioFrames"] += 1

    @pc.on("connectionstatechange")
    def on_state():
        log("player connection:", pc.connectionState)

    @pc.on("iceconnectionstatechange")
    def on_ice():
        log("player ICE:", pc.iceConnectionState)

    @pc.on("track")
    def on_track(track):
        log("track:", track.kind)
        asyncio.ensure_future(consume(track))

    session = await negotiate(pc, config)
    deadline = time.time() + config.get("timeoutMs", 30000) / 1000
    want_video = config.get("minVideoFrames", 30) if config.get("video", True) else 0
    want_audio = config.get("minLoudAudioFrames", 50)
    while time.time() < deadline:
        if figures["videoFrames"] >= want_video and figures["loudAudioFrames"] >= want_audio:
            break
        await asyncio.sleep(0.2)
    stats = {}
    for receiver in pc.getReceivers():
        for s in (await receiver.getStats()).values():
            if s.type == "inbound-rtp":
                stats[s.kind] = {"packetsReceived": s.packetsReceived}
    figures["inbound"] = stats
    figures["connectionState"] = pc.connectionState
    emit({"event": "received", **session, **figures})
    return pc, session


async def main():
    config = json.loads(sys.argv[1])
    pc, session = await (publish(config) if config["mode"] == "publish" else play(config))
    while True:
        line = (await stdin_line()).strip()
        if line == "delete" or line == "":
            break
    status, _, body = http("DELETE", session["location"], config["token"])
    again, _, _ = http("DELETE", session["location"], config["token"])
    await pc.close()
    emit({"ok": True, "deleteStatus": status, "deleteAgainStatus": again})


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except Exception as error:  # reported as the result line, like the browser scripts
        log("failed:", repr(error))
        emit({"ok": False, "error": repr(error)})
        sys.exit(1)
