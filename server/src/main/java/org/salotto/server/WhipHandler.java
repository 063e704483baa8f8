package org.salotto.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.salotto.media.params.IceParameters;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.RoomService;
import org.salotto.rooms.auth.Tokens.JoinGrant;
import org.salotto.rooms.session.MediaOnlyMember;
import org.salotto.rooms.store.StoreException;
import org.salotto.signaling.Conference;
import org.salotto.signaling.MediaSession;
import org.salotto.signaling.protocol.BodyCodec;
import org.salotto.signaling.protocol.ControlException;
import org.salotto.signaling.protocol.ErrorCode;
import org.salotto.signaling.protocol.HttpError;
import org.salotto.signaling.sdp.IceFragment;
import org.salotto.signaling.sdp.SdpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WHIP (RFC 9725) and WHEP (draft-ietf-wish-whep): publishing into a room, or watching and listening to one, with
 * one HTTP POST of an SDP offer (docs/api.md "WHIP and WHEP").
 *
 * <pre>
 * POST   /whip/{roomId}               offer (application/sdp) -> 201 answer, Location /whip/{roomId}/{sessionId}
 * PATCH  /whip/{roomId}/{sessionId}   application/trickle-ice-sdpfrag: trickle (204, ignored) or ICE restart (200)
 * DELETE /whip/{roomId}/{sessionId}   200: the publisher leaves the room
 * (the same under /whep/ for a viewer)
 * </pre>
 *
 * The bearer is a join token of the room (the publish grant for WHIP: a role on the stage; subscribe for WHEP). The
 * client becomes a member like any other ({@link MediaOnlyMember}): a publisher on the stage, a viewer in the
 * audience; everyone sees it come and go. Errors are the API's JSON error bodies with the catalogue's codes.
 *
 * <p>OPTIONS is answered with {@code Allow} only: a CORS preflight is the CORS layer's, in front of this handler.
 */
final class WhipHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(WhipHandler.class);
    private static final AtomicLong ERROR_REFS = new AtomicLong();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Largest offer read: the SDP parser's own bound. */
    static final int MAX_SDP = 64 * 1024;
    static final String SDP = "application/sdp";
    static final String SDP_FRAGMENT = "application/trickle-ice-sdpfrag";

    private final RoomService rooms;
    private final ServerConfig.Whip config;
    /** Live sessions by id; a session ended by the room (removed, ended, media closed) leaves at once. */
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();

    /** One WHIP or WHEP session: the member it is, and what PATCH and DELETE check. */
    private static final class Session {
        final String id;
        final boolean whip;
        final String roomId;
        final MediaOnlyMember member;
        final MediaSession media;
        /** SHA-256 of the bearer token of the POST: PATCH and DELETE must bring the same. */
        final byte[] bearerHash;
        volatile String clientUfrag;
        volatile String etag;

        Session(String id, boolean whip, String roomId, MediaOnlyMember member, MediaSession media, byte[] bearerHash,
                String clientUfrag) {
            this.id = id;
            this.whip = whip;
            this.roomId = roomId;
            this.member = member;
            this.media = media;
            this.bearerHash = bearerHash;
            this.clientUfrag = clientUfrag;
            this.etag = newEtag();
        }
    }

    /** What a request is answered with: status, extra headers (name, value pairs), content type and body. */
    private record Answer(int status, String[] headers, String contentType, String body) {
    }

    WhipHandler(RoomService rooms, ServerConfig.Whip config) {
        this.rooms = rooms;
        this.config = config;
    }

    /** Sessions open now (tests and metrics). */
    int sessions() {
        return sessions.size();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        boolean whip = path.startsWith("/whip/");
        if (!whip && !path.startsWith("/whep/")) return false;
        Answer answer;
        try {
            answer = route(request, whip, path.substring(6).split("/", -1));
        } catch (ControlException e) {
            answer = error(e.errorCode(), e.getMessage());
            if (e.nodeUrl() != null) {
                // Another node owns the room: 307 to the same URL there, as RFC 9725 section 4.5 has WHIP and WHEP
                // endpoints redirect (OBS and other clients follow it), with the wrong_node body for the others.
                answer = new Answer(307, new String[] {"Location", ApiHandler.ownerLocation(e.nodeUrl(), request)},
                        "application/json", BodyCodec.write(new HttpError(e)));
            }
        } catch (SdpException e) {
            answer = error(ErrorCode.BAD_SDP, e.getMessage());
        } catch (StoreException.Unavailable e) {
            answer = error(ErrorCode.UNAVAILABLE, StoreException.Unavailable.MESSAGE);
        } catch (RuntimeException | IOException e) {
            long n = ERROR_REFS.incrementAndGet();
            log.error("internal error #{} on {} {}", n, request.getMethod(), path, e);
            answer = error(ErrorCode.INTERNAL, "internal error #" + n + "; the server log has the details");
        }
        respond(response, callback, answer);
        return true;
    }

    private Answer route(Request request, boolean whip, String[] p) throws ControlException, SdpException, IOException {
        String method = request.getMethod();
        boolean endpoint = p.length == 1 && isId(p[0]);
        boolean session = p.length == 2 && isId(p[0]) && isId(p[1]);
        if (!endpoint && !session) {
            throw new ControlException(ErrorCode.NO_SUCH_ENDPOINT, "a " + (whip ? "WHIP" : "WHEP") + " URL is /"
                    + (whip ? "whip" : "whep") + "/{roomId} (POST) or the Location it answered (PATCH, DELETE)");
        }
        String allow = endpoint ? "POST, OPTIONS" : "PATCH, DELETE, OPTIONS";
        if (method.equals("OPTIONS")) return new Answer(204, new String[] {"Allow", allow}, null, null);
        if (endpoint && method.equals("POST")) return create(request, whip, p[0]);
        if (session && method.equals("PATCH")) return patch(request, session(request, whip, p[0], p[1]));
        if (session && method.equals("DELETE")) return delete(request, session(request, whip, p[0], p[1]));
        Answer refused = error(ErrorCode.METHOD_NOT_ALLOWED, method + " is not used here; this URL takes " + allow);
        return new Answer(refused.status(), new String[] {"Allow", allow}, refused.contentType(), refused.body());
    }

    // ---- POST: a new session ----

    private Answer create(Request request, boolean whip, String roomId) throws ControlException, SdpException, IOException {
        // WHEP without a token: an anonymous viewer, if the room is public and its host allows it.
        boolean anonymous = !whip && request.getHeaders().get(HttpHeader.AUTHORIZATION) == null;
        String bearer = anonymous ? "" : bearer(request);
        String offer = readBody(request, SDP, MAX_SDP);
        rooms.room(roomId); // not found (or a private room's "not found") before the token is spent
        rooms.runtime().route(roomId); // with a cluster: the room's owner takes it (307), before the token is spent
        JoinGrant grant = anonymous ? rooms.anonymousWhepGrant(roomId) : verify(bearer, roomId);
        String id = newId();
        MediaOnlyMember member = new MediaOnlyMember(roomId, rooms.runtime(),
                whip ? Conference.Receiving.NOTHING : Conference.Receiving.CLIENT_OFFERS, () -> sessions.remove(id));
        MediaSession media = member.join(grant);
        String answer;
        try {
            answer = whip ? media.publishOffer(offer) : media.view(offer);
        } catch (ControlException | SdpException | RuntimeException e) {
            member.leave(whip ? "WHIP offer refused" : "WHEP offer refused");
            throw e;
        }
        Session s = new Session(id, whip, roomId, member, media, sha256(bearer), firstUfrag(offer));
        sessions.put(id, s);
        // Ended meanwhile (the room ended between the join and now): gone at once.
        if (member.isEnded()) sessions.remove(id);
        String location = "/" + (whip ? "whip" : "whep") + "/" + roomId + "/" + id;
        String[] links = iceServerLinks();
        String[] headers = new String[4 + links.length];
        headers[0] = "Location";
        headers[1] = location;
        headers[2] = "ETag";
        headers[3] = s.etag;
        System.arraycopy(links, 0, headers, 4, links.length);
        log.info("{} session {} in room {} as {}", whip ? "WHIP" : "WHEP", id, roomId, member.participantId());
        return new Answer(201, headers, SDP, answer);
    }

    /**
     * The one check of a WHIP or WHEP bearer: a join token of this room. The room decides the role as for any join;
     * a role that may not publish makes a WHIP offer fail with {@code publish_not_allowed}.
     */
    private JoinGrant verify(String bearer, String roomId) throws RoomException {
        return rooms.redeemJoinToken(roomId, bearer);
    }

    // ---- PATCH: trickle ICE and ICE restart ----

    private Answer patch(Request request, Session s) throws ControlException, SdpException, IOException {
        String body = readBody(request, SDP_FRAGMENT, IceFragment.MAX_BYTES);
        String ifMatch = request.getHeaders().get(HttpHeader.IF_MATCH);
        IceFragment fragment = IceFragment.parse(body);
        boolean restart = fragment.ice() != null && !fragment.ice().ufrag().equals(s.clientUfrag);
        // An ICE restart says If-Match: * (RFC 9725 section 4.3.2); anything else names the session's entity-tag.
        boolean matches = ifMatch != null && (ifMatch.strip().equals(s.etag) || (restart && ifMatch.strip().equals("*")));
        if (!matches) {
            throw new ControlException(ErrorCode.PRECONDITION_FAILED, ifMatch == null
                    ? "send If-Match with the session's ETag (or * for an ICE restart)"
                    : "If-Match is not this session's current ETag " + s.etag);
        }
        if (!restart) {
            // Salotto is ICE-lite: it learns the client's address from its checks and never uses its candidates.
            return new Answer(204, new String[0], null, null);
        }
        IceParameters fresh = s.media.restartIce(s.whip, fragment.ice());
        s.clientUfrag = fragment.ice().ufrag();
        s.etag = newEtag();
        return new Answer(200, new String[] {"ETag", s.etag}, SDP_FRAGMENT, IceFragment.restartAnswer(fresh));
    }

    // ---- DELETE: the end ----

    private Answer delete(Request request, Session s) {
        sessions.remove(s.id);
        s.member.leave(s.whip ? "WHIP session deleted" : "WHEP session deleted");
        log.info("{} session {} in room {} deleted", s.whip ? "WHIP" : "WHEP", s.id, s.roomId);
        return new Answer(200, new String[0], null, null);
    }

    /** The session a PATCH or DELETE names, with the same bearer as its POST; the same 404 for any other. */
    private Session session(Request request, boolean whip, String roomId, String id) throws ControlException {
        // An anonymous WHEP session was made without a token, and is ended without one: its URL is the secret.
        String bearer = request.getHeaders().get(HttpHeader.AUTHORIZATION) == null ? "" : bearer(request);
        Session s = sessions.get(id);
        if (s == null || s.whip != whip || !s.roomId.equals(roomId) || s.member.isEnded()) {
            throw new ControlException(ErrorCode.NOT_FOUND, "there is no such session: it ended, or never was");
        }
        if (!MessageDigest.isEqual(s.bearerHash, sha256(bearer))) {
            throw new ControlException(ErrorCode.INVALID_TOKEN, "send the bearer token this session was created with");
        }
        return s;
    }

    // ---- the HTTP edge ----

    private static String bearer(Request request) throws ControlException {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.substring(7).isBlank()) {
            throw new ControlException(ErrorCode.UNAUTHENTICATED,
                    "send Authorization: Bearer <a join token of this room> (docs/api.md \"WHIP and WHEP\")");
        }
        return auth.substring(7).strip();
    }

    /** The body, which must be of {@code type} and at most {@code max} bytes of UTF-8. */
    private static String readBody(Request request, String type, int max) throws ControlException, IOException {
        String given = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String bare = given == null ? "" : given.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!bare.equals(type)) {
            throw new ControlException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as " + type);
        }
        if (request.getLength() > max) {
            throw new ControlException(ErrorCode.PAYLOAD_TOO_LARGE, "the body may be at most " + max + " bytes");
        }
        try (InputStream in = Request.asInputStream(request)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) throw new ControlException(ErrorCode.PAYLOAD_TOO_LARGE, "the body may be at most " + max + " bytes");
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** One {@code Link} per configured ICE server (RFC 9725 section 4.6), as header name and value pairs. */
    private String[] iceServerLinks() {
        String[] out = new String[config.iceServers().size() * 2];
        int i = 0;
        for (String url : config.iceServers()) {
            StringBuilder v = new StringBuilder("<").append(url).append(">; rel=\"ice-server\"");
            if (url.startsWith("turn") && !config.iceUsername().isEmpty()) {
                v.append("; username=\"").append(config.iceUsername()).append("\"; credential=\"")
                        .append(config.iceCredential()).append("\"; credential-type=\"password\"");
            }
            out[i++] = "Link";
            out[i++] = v.toString();
        }
        return out;
    }

    private static String firstUfrag(String sdp) {
        for (String line : sdp.split("\n")) {
            String l = line.strip();
            if (l.startsWith("a=ice-ufrag:")) return l.substring("a=ice-ufrag:".length());
        }
        return null;
    }

    private static boolean isId(String s) {
        return !s.isEmpty() && s.length() <= 64 && s.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_');
    }

    private static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String newEtag() {
        byte[] b = new byte[9];
        RANDOM.nextBytes(b);
        return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(b) + "\"";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Answer error(ErrorCode code, String message) {
        HttpError body = new HttpError(code, message);
        String[] headers = code == ErrorCode.UNAUTHENTICATED || code == ErrorCode.INVALID_TOKEN
                ? new String[] {"WWW-Authenticate", "Bearer realm=\"salotto\""} : new String[0];
        return new Answer(body.status(), headers, "application/json", BodyCodec.write(body));
    }

    private static void respond(Response response, Callback callback, Answer a) {
        response.setStatus(a.status());
        for (int i = 0; i + 1 < a.headers().length; i += 2) response.getHeaders().add(a.headers()[i], a.headers()[i + 1]);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (a.body() == null) {
            callback.succeeded();
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, a.contentType());
        response.write(true, ByteBuffer.wrap(a.body().getBytes(StandardCharsets.UTF_8)), callback);
    }
}
