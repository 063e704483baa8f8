package org.salotto.signaling.protocol;

import java.time.Instant;
import java.util.List;
import org.salotto.media.params.MediaKind;

/**
 * Every frame the server sends on the room WebSocket (docs/protocol.md, asyncapi.json). A frame's {@code type} is its
 * record's name with a small first letter, except {@link Snapshot}'s, which is its {@code type} component. Components
 * go on the wire in their order; {@link FrameCodec} writes them, {@link ProtocolSchema} documents them.
 */
public sealed interface ServerFrame {

    // ---- joining ----

    /** {@code joined} or {@code resumed}: everything a client needs to show the room. */
    @Wire.Doc("you are in (joined), or back on a new socket as the same participant (resumed)")
    record Snapshot(SnapshotType type, String participantId, Role role,
                    @Wire.Doc("what your join token lets you do (docs/protocol.md, \"Grants\"); your role narrows it further")
                    Grants grants, Room room, List<Member> members,
                    @Wire.Doc("every track published now") List<Track> tracks,
                    @Wire.Omitted @Wire.Doc("hosts and co-hosts: who waits in the lobby") List<LobbyEntry> lobby,
                    @Wire.Doc("opaque; send it in a resume frame on a new socket if this one drops") String resumeToken,
                    @Wire.Doc("how long after a drop the resume token still works, in milliseconds") long resumeGraceMs,
                    @Wire.Omitted @Wire.Doc("a live only: its last 50 visible comments, oldest first") List<Comment> comments,
                    @Wire.Omitted @Wire.Doc("a live only: the pinned comment; absent when none is") Comment pinned,
                    @Wire.Omitted @Wire.Doc("a live only: true when comments are off for everyone but the host and the moderator")
                    Boolean commentsOff,
                    @Wire.Omitted @Wire.Doc("a live only: the participant ids of the members whose comments are off")
                    List<String> commentsOffFor,
                    @Wire.Omitted @Wire.Doc("with a cluster only: the base URLs of its live nodes that take clients (not "
                            + "draining), the node that sent this first; where to come back through if that node cannot "
                            + "be reached (docs/protocol.md \"Several nodes\")") List<String> nodes,
                    @Wire.Omitted @Wire.Doc("true, and only present, in a resumed from a room that changed hands (docs/"
                            + "protocol.md \"A room that changed hands\"): your media connections are new; publish "
                            + "again on a new connection, not by an ICE restart (a transportClosed follows)") Boolean returned)
            implements ServerFrame {
    }

    enum SnapshotType { JOINED, RESUMED }

    /**
     * What the participant's join token grants, as it is now (an application may have changed it since the join): the
     * web app's own tokens grant every source, subscribe, not admin, not hidden.
     */
    @Wire.Doc("what a participant's join token lets them do; the role narrows it further (a listener publishes nothing)")
    record Grants(@Wire.Doc("the sources you may publish, when your role allows them; [] for none") List<Source> publish,
                  @Wire.Doc("you receive the others' media") boolean subscribe,
                  @Wire.Doc("you may manage the room as a co-host does (the HTTP routes)") boolean admin,
                  @Wire.Doc("the others do not see you, and you cannot publish") boolean hidden) {
    }

    @Wire.Doc("you wait in the lobby of a knock-mode room, or for a live in its backstage to start")
    record Waiting(String lobbyId, String message) implements ServerFrame {
    }

    @Wire.Doc("a host let you in; joined follows")
    record Admitted() implements ServerFrame {
    }

    @Wire.Doc("a host did not let you in; the socket closes")
    record Denied(String message) implements ServerFrame {
    }

    @Wire.Doc("you were removed (and cannot come back); the socket closes")
    record Removed(String message) implements ServerFrame {
    }

    @Wire.Doc("the room ended for everyone; the socket closes (code 1012 when the server is restarting)")
    record RoomEnded(String message) implements ServerFrame {
    }

    @Wire.Doc("the server is stopping: joins are refused, and after the drain timeout the room ends")
    record ServerDraining(String message) implements ServerFrame {
    }

    @Wire.Doc("a host invites you to the stage: answer with acceptInvitation or declineInvitation")
    record Invited(String by, String message) implements ServerFrame {
    }

    @Wire.Doc("hosts and co-hosts: the lobby changed")
    record Lobby(List<LobbyEntry> waiting) implements ServerFrame {
    }

    @Wire.Doc("what changed in the room, batched: apply in order")
    record RoomEvents(List<RoomEventFrame> events) implements ServerFrame {
    }

    // ---- media ----

    @Wire.Doc("a new track, coming in the next subscribeOffer")
    record TrackPublished(String participantId, String trackId, MediaKind kind, Source source,
                          @Wire.Omitted @Wire.Doc("true (and only present) when it is published turned off (mute)")
                          Boolean muted) implements ServerFrame {
        public TrackPublished(Track t) {
            this(t.participantId(), t.trackId(), t.kind(), t.source(), t.muted());
        }
    }

    @Wire.Doc("someone turned their microphone, camera or screen off (muted true) or on again; their tracks stay "
            + "published: show a muted microphone, or their avatar instead of a black picture")
    record TrackMuted(String participantId, Source source, boolean muted) implements ServerFrame {
    }

    @Wire.Doc("dynacast, to a publisher: which simulcast layers of one of your tracks someone receives; send those, "
            + "pause the others (set the active flag of that sender's encodings to match, keeping its other parameters). "
            + "Sent when the set changes; until the first, send every layer")
    record PublisherLayers(@Wire.Doc("the mid of your publisher connection's m-section (the transceiver) the track goes "
                                   + "out on") String mid,
                           @Wire.Doc("the rids of the layers to send (a=rid in your offer), in the offer's order; never empty: "
                                   + "the lowest layer is always sent. A rid of the m-section not listed is to be paused")
                           List<String> active) implements ServerFrame {
    }

    @Wire.Doc("the server stopped (paused true) or started again (false) sending you a video, because your connection "
            + "has no room for even its lowest layer and is losing packets: show it paused rather than frozen on its last "
            + "frame. Sent when that changes, not more often; the video resumes on its own (a new keyframe) when there is "
            + "room again")
    record TrackPaused(@Wire.Doc("whose track it is") String participantId, String trackId, boolean paused,
                       @Wire.Doc("why: bandwidth (your downlink)") PauseReason reason) implements ServerFrame {
    }

    enum PauseReason { BANDWIDTH }

    @Wire.Doc("a track ended")
    record TrackUnpublished(String participantId, String trackId) implements ServerFrame {
    }

    @Wire.Doc("the answer to your publish")
    record PublishAnswer(@Wire.Doc("a string holding the SDP answer (RFC 8866 text): pass it to setRemoteDescription "
            + "as {type: 'answer', sdp}") String sdp, @Wire.Omitted RequestId ref) implements ServerFrame {
    }

    @Wire.Doc("the whole set of tracks you receive: answer it with subscribeAnswer")
    record SubscribeOffer(@Wire.Doc("a string holding an SDP offer (RFC 8866 text) for the subscriber connection: pass "
                                  + "it to setRemoteDescription as {type: 'offer', sdp}") String sdp,
                          @Wire.Doc("an integer, larger with each offer: send it back in the subscribeAnswer") long version,
                          @Wire.Omitted @Wire.Doc("true (and only present) when the offer is for a subscriber "
                                  + "connection that replaces yours: the last one closed, or yours was with another "
                                  + "node (you resumed through another node, or the room moved here): answer on a new "
                                  + "RTCPeerConnection")
                          Boolean newConnection) implements ServerFrame {
    }

    @Wire.Doc("one of your media connections closed; you are still in the room")
    record TransportClosed(Connection connection,
                           @Wire.Doc("why, in words for a log (ICE consent expired, DTLS closed by the peer...): not a "
                                   + "stable code") String reason) implements ServerFrame {
    }

    enum Connection { PUBLISHER, SUBSCRIBER }

    @Wire.Doc("who speaks now and who holds the floor, from the audio levels publishers send (RFC 6464), evaluated "
            + "every media.active-speaker-interval; sent when either changes, and on joining once someone has spoken")
    record ActiveSpeakers(@Wire.Nullable @Wire.Doc("the participant id of who holds the floor (the call's highlighted "
                                  + "tile): the last person who spoke long enough to take it; null before anyone has, or "
                                  + "after they left while nobody speaks") String dominant,
                          @Wire.Doc("who speaks now (the speaker rings), most active lately first, the dominant speaker "
                                  + "first when they speak; empty when nobody does") List<Speaker> speakers)
            implements ServerFrame {
    }

    // ---- the rest ----

    @Wire.Doc("the answer to ping")
    record Pong(@Wire.Omitted RequestId ref) implements ServerFrame {
    }

    @Wire.Doc("a request was refused; the connection stays open unless the code says otherwise")
    record Error(ErrorCode code, String message, @Wire.Omitted RequestId ref,
                 @Wire.Omitted @Wire.Doc("with rate_limited: milliseconds to wait before sending this again") Long retryAfterMs,
                 @Wire.Omitted @Wire.Doc("with wrong_node: the base URL (http or https, no path) of the cluster node that "
                         + "owns the room: open {nodeUrl}/ws/rooms/{roomId} (ws or wss) and send the same join or resume "
                         + "there; this socket takes no join") String nodeUrl)
            implements ServerFrame {
        public Error(ErrorCode code, String message, RequestId ref) {
            this(code, message, ref, null, null);
        }

        public Error(ErrorCode code, String message, RequestId ref, Long retryAfterMs) {
            this(code, message, ref, retryAfterMs, null);
        }

        public Error(ControlException e, RequestId ref) {
            this(e.errorCode(), e.getMessage(), ref, e.retryAfterMs() > 0 ? e.retryAfterMs() : null, e.nodeUrl());
        }
    }

    // ---- values inside frames (and API bodies) ----

    /** What a person is in a room; the names depend on the room's kind (a space's speaker is a live's guest). */
    @Wire.Doc("a person's role; on stage: host, co_host, participant (call), guest (live), speaker (space)")
    enum Role { HOST, CO_HOST, MODERATOR, PARTICIPANT, GUEST, SPEAKER, VIEWER, LISTENER }

    @Wire.Doc("a person in the room")
    record Member(String participantId, String name, Role role, boolean guest,
                  @Wire.Omitted @Wire.Doc("accounts only") Long accountId, boolean handRaised,
                  @Wire.Omitted @Wire.Doc("the application's text about this person, from their join token's 'metadata' (at most 1 KiB)")
                  String metadata) {

        public Member(String participantId, String name, Role role, boolean guest, Long accountId, boolean handRaised) {
            this(participantId, name, role, guest, accountId, handRaised, null);
        }
    }

    @Wire.Doc("a comment in a live")
    record Comment(String id, @Wire.Doc("the writer, as a participant of the live when they wrote it") String participantId,
                   @Wire.Doc("the writer's display name") String name, String text, Instant at,
                   @Wire.Doc("the hearts (1 to 3) of the best badge the writer had bought in this live; 0: none") int badge,
                   @Wire.Omitted @Wire.Doc("HTTP only, for the host and the moderator: true on a hidden comment") Boolean hidden) {
    }

    @Wire.Doc("an audience member only (a space's listener, a live's viewer): whom each of your fixed slots "
            + "carries now. Your subscriber offer has media.audience-audio-slots audio m-sections whose a=msid is "
            + "`~stage audio-<n>`; Salotto fills them with the stage's loudest speakers and moves them between "
            + "speakers without a new offer. A live's viewer also has video m-sections `~stage video-<n>` (as many as "
            + "the live's stage holds, at most media.audience-video-slots): each camera on the stage holds one for as "
            + "long as it is published, in the order they came, and a freed one is silent until another camera takes "
            + "it; report their tile sizes with videoSize under the slot's track id. Sent whenever a slot changes "
            + "hands, and on joining the audience once any slot has carried someone (until the first one, every slot "
            + "is silent); never when the room has no slots (media.audience-audio-slots 0, and no video slots)")
    record StageSlots(@Wire.Doc("every audio slot, in order") List<StageSlot> audio,
                      @Wire.Doc("every video slot, in order (empty outside a live, or with media.audience-video-slots 0)")
                      List<StageSlot> video) implements ServerFrame {
    }

    @Wire.Doc("one of an audience member's fixed slots")
    record StageSlot(@Wire.Doc("the slot's track id, as in its m-section's a=msid") String trackId,
                     @Wire.Nullable @Wire.Doc("the participant id of whom it carries now; null: silent") String participantId) {
    }

    @Wire.Doc("someone speaking now")
    record Speaker(String participantId,
                   @Wire.Doc("an integer, their loudness over the last interval: 0 (silence, -127 dBov) to 127 (0 dBov)")
                   int level) {
    }

    @Wire.Doc("a published track")
    record Track(String participantId, String trackId, MediaKind kind, Source source,
                 @Wire.Omitted @Wire.Doc("true (and only present) while its publisher has it turned off (mute)")
                 Boolean muted) {
        public Track(String participantId, String trackId, MediaKind kind, Source source) {
            this(participantId, trackId, kind, source, null);
        }
    }

    @Wire.Doc("someone waiting in the lobby")
    record LobbyEntry(String lobbyId, String name, boolean guest, Instant since) {
    }

    enum RoomKind { CALL, LIVE, SPACE }

    enum Visibility { PUBLIC, PRIVATE }

    enum RoomState { SCHEDULED, OPEN, ENDED }

    /** A room as the API shows it; {@code people} and {@code onStage} in HTTP answers and joined/resumed, not in roomChanged. */
    @Wire.Doc("a room, as the HTTP API shows it")
    record Room(String id, String link, RoomKind kind, String title, String activity,
                Visibility visibility, RoomState state, boolean locked, boolean knock,
                @Wire.Doc("a live in its backstage: only the host and the guests let in are in until the host goes live")
                boolean practice, long hostAccountId,
                @Wire.Nullable Instant scheduledStart, Instant createdAt, @Wire.Nullable Instant endedAt,
                @Wire.Omitted @Wire.Doc("how many are in it now (an integer): in HTTP answers and in joined and resumed "
                        + "(you included); absent in roomChanged, where memberJoined and memberLeft tell the changes") Integer people,
                @Wire.Omitted @Wire.Doc("how many of them are on stage (an integer), present where people is") Integer onStage) {
    }
}
