package org.salotto.signaling.protocol;

import java.util.Map;

/**
 * Every frame a client sends on the room WebSocket (docs/protocol.md, asyncapi.json). {@link FrameCodec#decode}
 * checks each at the edge against its record: no unknown field, every field present and of its type and length. A
 * request may also carry an {@code id} (a {@link RequestId}), which is not part of the record.
 */
public sealed interface ClientFrame {
    int TOKEN_MAX = 4096;
    int SDP_MAX = 64 * 1024;
    /** A comment's text as sent: the rooms layer counts its 300 characters (code points) once normalized. */
    int COMMENT_MAX = 1200;
    /** The largest width or height a client may say it shows a video at. */
    int MAX_VIDEO_SIDE = 16384;

    @Wire.Doc("enter the room (or its lobby) with a join token from the HTTP API; answered by joined or waiting")
    record Join(@Wire.MaxLength(TOKEN_MAX) String token) implements ClientFrame {
    }

    @Wire.Doc("the first frame of a new socket after a drop: the same participant again; answered by resumed")
    record Resume(@Wire.MaxLength(TOKEN_MAX) @Wire.Doc("the resumeToken of the last joined or resumed") String token)
            implements ClientFrame {
    }

    /** The frames the media session handles. */
    sealed interface MediaFrame extends ClientFrame {
    }

    @Wire.Doc("publish (or renegotiate) on the publisher connection; answered by publishAnswer")
    record Publish(@Wire.MaxLength(SDP_MAX) @Wire.Doc("a string holding an SDP offer (RFC 8866 text, lines ending in CRLF, "
                           + "as RTCPeerConnection.createOffer() gives it in RTCSessionDescription.sdp) for the publisher connection")
                   String sdp,
                   @Wire.Omitted @Wire.Keys("mid") @Wire.Doc("an object of mid to source") Map<String, Source> sources)
            implements MediaFrame {
    }

    @Wire.Doc("the answer to the subscribeOffer of that version")
    record SubscribeAnswer(@Wire.MaxLength(SDP_MAX) @Wire.Doc("a string holding the SDP answer (RFC 8866 text, as "
                                   + "RTCPeerConnection.createAnswer() gives it) to the subscribeOffer") String sdp,
                           @Wire.Doc("the integer of the offer being answered") long version) implements MediaFrame {
    }

    @Wire.Doc("the size, in CSS pixels times devicePixelRatio, at which this client shows a video track it receives; the "
            + "server sends it the smallest simulcast layer that covers it (0 by 0: not shown, the lowest layer). Send "
            + "again when the tile changes size; no answer")
    record VideoSize(@Wire.MaxLength(64) @Wire.Doc("the trackId of a video track you receive") String trackId,
                     @Wire.Range(min = 0, max = MAX_VIDEO_SIDE) long width,
                     @Wire.Range(min = 0, max = MAX_VIDEO_SIDE) long height) implements MediaFrame {
    }

    @Wire.Doc("your microphone, camera or screen is off (muted true: the track stays published, sending silence or "
            + "black frames) or on again; the others get trackMuted. At most 20 changes per 10 s (rate_limited)")
    record Mute(Source source, boolean muted) implements MediaFrame {
    }

    @Wire.Doc("leave the room; the server closes the socket")
    record Leave() implements ClientFrame {
    }

    @Wire.Doc("audience: ask for the stage")
    record RaiseHand() implements ClientFrame {
    }

    @Wire.Doc("take back a raised hand")
    record LowerHand() implements ClientFrame {
    }

    @Wire.Doc("accept an invitation to the stage")
    record AcceptInvitation() implements ClientFrame {
    }

    @Wire.Doc("decline an invitation to the stage")
    record DeclineInvitation() implements ClientFrame {
    }

    @Wire.Doc("a speaker, guest or co-host goes back to the audience")
    record LeaveStage() implements ClientFrame {
    }

    @Wire.Doc("an emoji reaction everyone sees")
    record React(@Wire.MaxLength(16) @Wire.Doc("an emoji") String emoji) implements ClientFrame {
    }

    @Wire.Doc("a live: a comment, 1 to 300 characters once normalized; everyone (the sender too) gets it as the room "
            + "event commentPosted; refused with comments_off, rate_limited or bad_request")
    @Wire.SchemaName("CommentFrame")
    record Comment(@Wire.MaxLength(COMMENT_MAX) String text) implements ClientFrame {
    }

    @Wire.Doc("answered by pong")
    record Ping() implements ClientFrame {
    }
}
