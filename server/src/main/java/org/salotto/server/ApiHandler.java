package org.salotto.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.salotto.rooms.Caller;
import org.salotto.rooms.RoomException;
import org.salotto.rooms.LiveComments;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomService;
import org.salotto.rooms.Visibility;
import org.salotto.rooms.account.Accounts;
import org.salotto.rooms.limits.Limiters;
import org.salotto.rooms.money.Purchase;
import org.salotto.rooms.money.Purchases;
import org.salotto.rooms.store.Account;
import org.salotto.rooms.store.ApiKey;
import org.salotto.rooms.store.Block;
import org.salotto.rooms.store.ModerationAction;
import org.salotto.rooms.store.Room;
import org.salotto.rooms.store.StoreException;
import org.salotto.rooms.webhooks.WebhookDelivery;
import org.salotto.rooms.webhooks.WebhookEndpoint;
import org.salotto.rooms.webhooks.Webhooks;
import org.salotto.server.api.ApiAnswer;
import org.salotto.server.api.ApiRequest;
import org.salotto.server.security.RequestSource;
import org.salotto.signaling.protocol.BodyCodec;
import org.salotto.signaling.protocol.ControlException;
import org.salotto.signaling.protocol.ErrorCode;
import org.salotto.signaling.protocol.HttpError;
import org.salotto.signaling.protocol.ServerFrame;
import org.salotto.signaling.protocol.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API under {@code /api/} (docs/api.md, and the OpenAPI document at {@code /api/openapi.json}; the room
 * WebSocket's AsyncAPI document is served beside it). JSON in and out, each body a record ({@link ApiRequest}, {@link ApiAnswer}, {@link ServerFrame.Room})
 * read and written by {@link BodyCodec} only; every error is an {@link HttpError},
 * {@code {"error": {"code", "message"}}}, with its {@link ErrorCode}'s HTTP status. Who calls is a session
 * cookie (browsers), an API key or a guest token ({@code Authorization: Bearer ...}).
 */
final class ApiHandler extends Handler.Abstract {
    static final String SESSION_COOKIE = "salotto_session";
    static final String DEVICE_COOKIE = "salotto_device";
    private static final long DEVICE_COOKIE_SECONDS = 365L * 24 * 3600;
    /** The header of a purchase's key (docs/api.md "Badges"), as payment APIs name it. */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Set to {@code true} on the stored answer to a retry. */
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";
    /** Largest request body accepted. */
    static final int MAX_BODY = 16 * 1024;
    /** How much of a body over {@link #MAX_BODY} is read and dropped so that the client gets the 413 (see drain). */
    private static final int MAX_DRAIN = 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final AtomicLong ERROR_REFS = new AtomicLong();

    private final RoomService rooms;
    private final Accounts accounts;
    private final byte[] openApi;
    private final byte[] asyncApi;
    /** True while the server drains: join tokens are refused (SalottoServer#drain). */
    private final java.util.function.BooleanSupplier draining;
    private final Limiters limiters;
    /** The account's webhook endpoints (issue 14); null in a server built without them. */
    private final Webhooks webhooks;

    private static final long OUTAGE_LOG_INTERVAL_NANOS = 10_000_000_000L;
    private final AtomicLong lastOutageLog = new AtomicLong(System.nanoTime() - OUTAGE_LOG_INTERVAL_NANOS - 1);

    ApiHandler(RoomService rooms, java.util.function.BooleanSupplier draining) {
        this(rooms, draining, null);
    }

    ApiHandler(RoomService rooms, java.util.function.BooleanSupplier draining, Webhooks webhooks) {
        this.webhooks = webhooks;
        this.rooms = rooms;
        this.draining = draining;
        this.limiters = rooms.limiters();
        this.accounts = rooms.accounts();
        this.openApi = resource("/openapi.json");
        this.asyncApi = resource("/asyncapi.json");
    }

    private static byte[] resource(String name) {
        try (InputStream in = ApiHandler.class.getResourceAsStream(name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /**
     * An answer: status and body (null for 204), cookies to set, seconds for Retry-After (0: none), and whether it is
     * the stored answer to an earlier request with the same Idempotency-Key ({@code Idempotent-Replayed: true}).
     */
    private record Answer(int status, Record body, List<HttpCookie> cookies, long retryAfterSeconds, boolean replayed) {
        Answer(int status, Record body, List<HttpCookie> cookies) {
            this(status, body, cookies, 0, false);
        }

        Answer(int status, Record body, List<HttpCookie> cookies, long retryAfterSeconds) {
            this(status, body, cookies, retryAfterSeconds, false);
        }

        static Answer ok(Record body) {
            return new Answer(200, body, List.of());
        }

        static Answer created(Record body) {
            return new Answer(201, body, List.of());
        }

        static Answer noContent() {
            return new Answer(204, null, List.of());
        }
    }

    /** The parts of one request the routes need. */
    private record Call(String method, String[] path, String body, Caller caller, String sessionToken, String address,
                        boolean https, String deviceToken, String query, String idempotencyKey) {
        boolean is(String m, int segments) {
            return method.equals(m) && path.length == segments;
        }

        /** A query parameter (the last of that name), or null. */
        String param(String name) {
            if (query == null) return null;
            String found = null;
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (key.equals(name)) found = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
            return found;
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.startsWith("/api/") && !path.equals("/api")) return false;
        Answer answer;
        try {
            byte[] document = path.equals("/api/openapi.json") ? openApi : path.equals("/api/asyncapi.json") ? asyncApi : null;
            if (document != null && request.getMethod().equals("GET")) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(document), callback);
                return true;
            }
            answer = route(request, path);
        } catch (ControlException e) {
            answer = error(e.errorCode(), e.getMessage());
            // Rounded up: a client that waits exactly this long finds the limit open again.
            if (e.retryAfterMs() > 0) answer = new Answer(answer.status(), answer.body(), answer.cookies(), (e.retryAfterMs() + 999) / 1000);
        } catch (StoreException.Unavailable e) {
            // An outage, not a bug: answered at once (after the pool's connection timeout), logged once in a while.
            long now = System.nanoTime();
            long last = lastOutageLog.get();
            if (now - last > OUTAGE_LOG_INTERVAL_NANOS && lastOutageLog.compareAndSet(last, now)) {
                log.warn("answering 503 unavailable: {}", e.getMessage());
            }
            answer = error(ErrorCode.UNAVAILABLE, StoreException.Unavailable.MESSAGE);
        } catch (RuntimeException | IOException e) {
            long n = ERROR_REFS.incrementAndGet();
            log.error("internal error #{} on {} {}", n, request.getMethod(), path, e);
            answer = error(ErrorCode.INTERNAL, "internal error #" + n + "; the server log has the details");
        }
        respond(response, callback, answer);
        return true;
    }

    private Answer route(Request request, String fullPath) throws ControlException, IOException {
        String rest = fullPath.length() > "/api/".length() ? fullPath.substring("/api/".length()) : "";
        String[] p = rest.split("/", -1);
        String method = request.getMethod();
        if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
            throw new ControlException(ErrorCode.METHOD_NOT_ALLOWED, method + " is not used by this API");
        }
        String body = readBody(request);
        String session = cookie(request, SESSION_COOKIE);
        RequestSource source = RequestSource.of(request);
        Call c = new Call(method, p, body, caller(request, session), session, source.clientAddress(), source.https(),
                cookie(request, DEVICE_COOKIE), request.getHttpURI().getQuery(), request.getHeaders().get(IDEMPOTENCY_KEY));
        return switch (p[0]) {
            case "accounts" -> accountsRoute(c);
            case "sessions" -> sessionsRoute(c);
            case "me" -> meRoute(c);
            case "guests" -> {
                if (!c.is("POST", 1)) throw unknown(c);
                read(c, ApiRequest.Empty.class);
                Limiters.check(limiters.guestTokensPerAddress, c.address, "guest tokens from this address");
                yield Answer.created(new ApiAnswer.GuestToken(rooms.newGuestToken()));
            }
            case "rooms" -> roomsRoute(c);
            case "badges" -> {
                if (!c.is("GET", 2) || !c.path[1].equals("prices")) throw unknown(c);
                yield Answer.ok(badgePrices(rooms.purchases().prices()));
            }
            case "purchases" -> {
                if (!c.is("POST", 3) || !c.path[2].equals("refund")) throw unknown(c);
                read(c, ApiRequest.Empty.class);
                yield Answer.ok(purchase(rooms.refund(signedIn(c), c.path[1])));
            }
            case "ledger" -> {
                if (!c.is("GET", 4) || !c.path[1].equals("accounts") || !c.path[3].equals("balance")) throw unknown(c);
                var account = rooms.purchases().accountOf(signedIn(c), c.path[2]);
                yield Answer.ok(new ApiAnswer.Balance(account.id(), rooms.purchases().prices().currency(),
                        account.shown(rooms.purchases().balance(account))));
            }
            default -> throw unknown(c);
        };
    }

    // ---- accounts and sessions ----

    private Answer accountsRoute(Call c) throws ControlException {
        if (!c.is("POST", 1)) throw unknown(c);
        ApiRequest.SignUp b = read(c, ApiRequest.SignUp.class);
        Limiters.check(limiters.loginPerAddress, c.address, "logins and sign-ups from this address");
        Accounts.Session s = accounts.startSession(accounts.signUp(b.username(), b.displayName(), b.password(), c.address));
        return new Answer(201, account(s.account()), List.of(sessionCookie(s.token(), s.ttl().toSeconds(), c.https),
                deviceCookie(s.deviceToken(), c.https)));
    }

    private Answer sessionsRoute(Call c) throws ControlException {
        if (c.is("POST", 1)) {
            ApiRequest.LogIn b = read(c, ApiRequest.LogIn.class);
            Limiters.check(limiters.loginPerAddress, c.address, "logins and sign-ups from this address");
            Accounts.Session s = accounts.logIn(b.username(), b.password(), c.address, c.deviceToken);
            return new Answer(200, account(s.account()), List.of(sessionCookie(s.token(), s.ttl().toSeconds(), c.https),
                    deviceCookie(s.deviceToken(), c.https)));
        }
        if (c.is("DELETE", 2) && c.path[1].equals("current")) {
            accounts.logOut(c.sessionToken);
            return new Answer(204, null, List.of(sessionCookie("", 0, c.https)));
        }
        if (c.is("DELETE", 1)) {
            // Log out everywhere: every session of the account, this one included (a stolen cookie stops working).
            Caller caller = requireAccount(c);
            accounts.logOutEverywhere(caller.accountId());
            return new Answer(204, null, List.of(sessionCookie("", 0, c.https)));
        }
        throw unknown(c);
    }

    private Answer meRoute(Call c) throws ControlException {
        Caller caller = requireAccount(c);
        if (c.is("GET", 1)) {
            Account a = accounts.account(caller.accountId()).orElseThrow(() -> new RoomException(ErrorCode.UNAUTHENTICATED, "log in first"));
            return Answer.ok(account(a));
        }
        if (c.path.length < 2) throw unknown(c);
        String what = c.path[1];
        if (what.equals("rooms") && c.is("GET", 2)) return Answer.ok(roomList(rooms.roomsOf(caller)));
        if (what.equals("api-keys")) {
            if (caller.apiKeyId() != null) throw new RoomException(ErrorCode.NOT_ALLOWED, "API keys are managed from a logged-in browser session");
            if (c.is("POST", 2)) {
                String key = accounts.createApiKey(caller.accountId(), read(c, ApiRequest.ApiKeyRequest.class).name());
                return Answer.created(new ApiAnswer.NewApiKey(key.substring(3, 15), key));
            }
            if (c.is("GET", 2)) {
                List<ApiAnswer.ApiKey> keys = new ArrayList<>();
                for (ApiKey k : accounts.apiKeys(caller.accountId())) keys.add(new ApiAnswer.ApiKey(k.id(), k.name(), k.createdAt()));
                return Answer.ok(new ApiAnswer.ApiKeyList(keys));
            }
            if (c.is("DELETE", 3)) {
                if (!accounts.deleteApiKey(caller.accountId(), c.path[2])) throw new ControlException(ErrorCode.NOT_FOUND, "you have no API key with this id");
                return Answer.noContent();
            }
        }
        if (what.equals("webhooks") && webhooks != null) return webhooksRoute(c, caller);
        if (what.equals("blocks")) {
            if (c.is("GET", 2)) {
                List<ApiAnswer.Block> blocks = new ArrayList<>();
                for (Block bl : rooms.blocks(caller)) blocks.add(new ApiAnswer.Block(bl.identity(), bl.displayName(), bl.at()));
                return Answer.ok(new ApiAnswer.BlockList(blocks));
            }
            if (c.is("DELETE", 3)) {
                if (!rooms.unblock(caller, c.path[2])) throw new ControlException(ErrorCode.NOT_FOUND, "you have not blocked this person");
                return Answer.noContent();
            }
        }
        throw unknown(c);
    }

    // ---- webhooks (issue 14): /api/me/webhooks, docs/api.md "Webhooks" ----

    private Answer webhooksRoute(Call c, Caller caller) throws ControlException {
        try {
            if (c.path.length == 2) {
                if (c.method.equals("POST")) {
                    ApiRequest.NewWebhook b = read(c, ApiRequest.NewWebhook.class);
                    return Answer.created(webhook(webhooks.create(caller, b.url(), b.description(), types(b.eventTypes())), true));
                }
                if (c.method.equals("GET")) {
                    List<ApiAnswer.WebhookEndpoint> list = new ArrayList<>();
                    for (WebhookEndpoint e : webhooks.list(caller)) list.add(webhook(e, false));
                    return Answer.ok(new ApiAnswer.WebhookEndpointList(list));
                }
                throw unknown(c);
            }
            String id = c.path[2];
            if (c.path.length == 3) {
                switch (c.method) {
                    case "GET" -> {
                        return Answer.ok(webhook(webhooks.get(caller, id), false));
                    }
                    case "PATCH" -> {
                        ApiRequest.WebhookChanges b = read(c, ApiRequest.WebhookChanges.class);
                        return Answer.ok(webhook(webhooks.update(caller, id, b.url(), b.description(),
                                b.eventTypes() == null ? null : types(b.eventTypes()), b.enabled()), false));
                    }
                    case "DELETE" -> {
                        read(c, ApiRequest.Empty.class);
                        webhooks.delete(caller, id);
                        return Answer.noContent();
                    }
                    default -> throw unknown(c);
                }
            }
            String action = c.path[3];
            if (c.path.length == 4 && c.method.equals("GET") && action.equals("deliveries")) {
                List<ApiAnswer.WebhookDelivery> list = new ArrayList<>();
                for (WebhookDelivery d : webhooks.deliveries(caller, id, deliveryId(c.param("before"), "before"),
                        logLimit(c))) {
                    list.add(delivery(d));
                }
                return Answer.ok(new ApiAnswer.WebhookDeliveryList(list));
            }
            if (c.path.length == 4 && c.method.equals("POST") && action.equals("test")) {
                read(c, ApiRequest.Empty.class);
                return Answer.ok(delivery(webhooks.test(caller, id)));
            }
            if (c.path.length == 4 && c.method.equals("POST") && action.equals("replay")) {
                ApiRequest.WebhookReplay b = read(c, ApiRequest.WebhookReplay.class);
                java.time.Instant since = b.since();
                if (since == null && c.param("since") != null) {
                    try {
                        since = java.time.Instant.parse(c.param("since"));
                    } catch (java.time.format.DateTimeParseException e) {
                        throw new ControlException(ErrorCode.BAD_REQUEST, "'since' must be a time like 2026-11-21T18:00:00Z");
                    }
                }
                if ((since == null) == (b.deliveryId() == null)) {
                    throw new ControlException(ErrorCode.BAD_REQUEST, "give one of 'since' (an instant) and 'deliveryId'");
                }
                if (b.deliveryId() != null) {
                    return Answer.ok(new ApiAnswer.WebhookReplayResult(null,
                            delivery(webhooks.replayDelivery(caller, id, deliveryId(b.deliveryId(), "deliveryId")))));
                }
                return Answer.ok(new ApiAnswer.WebhookReplayResult(webhooks.replaySince(caller, id, since), null));
            }
            if (c.path.length == 6 && c.method.equals("POST") && action.equals("deliveries") && c.path[5].equals("replay")) {
                read(c, ApiRequest.Empty.class);
                return Answer.ok(new ApiAnswer.WebhookReplayResult(null,
                        delivery(webhooks.replayDelivery(caller, id, deliveryId(c.path[4], "deliveryId")))));
            }
            throw unknown(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException(ErrorCode.UNAVAILABLE, "the server is stopping");
        }
    }

    private static List<String> types(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) return List.of();
        List<String> out = new ArrayList<>();
        for (String t : commaSeparated.split(",")) if (!t.isBlank()) out.add(t.strip());
        return out;
    }

    /** A delivery id (decimal), or 0 when absent. */
    private static long deliveryId(String v, String name) throws ControlException {
        if (v == null) return 0;
        try {
            long n = Long.parseLong(v);
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new ControlException(ErrorCode.BAD_REQUEST, "'" + name + "' must be a delivery's id (a positive whole number)");
    }

    /** {@code ?limit=}: 1 to 200 log entries, 50 if absent. */
    private static int logLimit(Call c) throws ControlException {
        String v = c.param("limit");
        if (v == null) return 50;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= Webhooks.MAX_LOG_PAGE) return n;
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new ControlException(ErrorCode.BAD_REQUEST, "'limit' must be an integer from 1 to " + Webhooks.MAX_LOG_PAGE);
    }

    private static ApiAnswer.WebhookEndpoint webhook(WebhookEndpoint e, boolean withSecret) {
        return new ApiAnswer.WebhookEndpoint(e.id(), e.url(), e.description(), e.eventTypes().stream().sorted().toList(),
                e.enabled(), e.disabledReason(), e.failingSince(), e.createdAt(), withSecret ? e.secret() : null);
    }

    private static ApiAnswer.WebhookDelivery delivery(WebhookDelivery d) {
        String room = d.stream().startsWith("~") ? null : d.stream();
        return new ApiAnswer.WebhookDelivery(Long.toString(d.id()), d.messageId(), d.type(), room, d.seq(), d.attempt(),
                ApiAnswer.WebhookTrigger.valueOf(d.trigger().name()), d.status(), d.error(), d.response(), d.durationMs(),
                d.at());
    }

    // ---- rooms ----

    private Answer roomsRoute(Call c) throws ControlException {
        if (c.path.length == 1) {
            if (c.method.equals("GET")) return Answer.ok(roomList(rooms.publicRooms()));
            if (c.method.equals("POST")) return Answer.created(view(createRoom(c)));
            throw unknown(c);
        }
        String id = c.path[1];
        if (c.path.length == 2) {
            return switch (c.method) {
                case "GET" -> Answer.ok(view(rooms.room(id)));
                case "PATCH" -> {
                    ApiRequest.RoomChanges b = read(c, ApiRequest.RoomChanges.class);
                    yield Answer.ok(view(rooms.update(signedIn(c), id, b.title(), b.activity(), visibility(b.visibility()),
                            b.locked(), b.knock())));
                }
                default -> throw unknown(c);
            };
        }
        String action = c.path[2];
        if (c.path.length == 3) {
            switch (c.method + " " + action) {
                case "POST end" -> {
                    read(c, ApiRequest.Empty.class);
                    rooms.end(signedIn(c), id);
                    return Answer.noContent();
                }
                case "POST join" -> {
                    refuseWhileDraining();
                    Limiters.check(limiters.joinTokensPerAddress, c.address, "join tokens from this address");
                    String token = rooms.joinToken(c.caller, id, read(c, ApiRequest.JoinRequest.class).displayName());
                    return Answer.ok(new ApiAnswer.JoinAnswer(token, "/ws/rooms/" + id, view(rooms.room(id))));
                }
                case "POST tokens" -> {
                    refuseWhileDraining();
                    Limiters.check(limiters.joinTokensPerAddress, c.address, "join tokens from this address");
                    ApiRequest.AppTokenRequest b = read(c, ApiRequest.AppTokenRequest.class);
                    String token = rooms.appJoinToken(c.caller, id, b.user(), b.displayName());
                    return Answer.created(new ApiAnswer.AppToken(token, "/ws/rooms/" + id));
                }
                case "GET participants" -> {
                    return Answer.ok(new ApiAnswer.ParticipantList(rooms.participants(signedIn(c), id)));
                }
                case "GET lobby" -> {
                    return Answer.ok(new ApiAnswer.Lobby(rooms.lobby(signedIn(c), id)));
                }
                case "POST badges" -> {
                    ApiRequest.BadgePurchase b = read(c, ApiRequest.BadgePurchase.class);
                    Purchases.Outcome o = rooms.buyBadge(signedIn(c), id, c.idempotencyKey, b.targetId(), b.hearts());
                    return new Answer(201, purchase(o.purchase()), List.of(), 0, o.replayed());
                }
                case "GET earnings" -> {
                    List<ApiAnswer.Earning> list = new ArrayList<>();
                    for (Purchases.Earning e : rooms.earnings(signedIn(c), id)) {
                        list.add(new ApiAnswer.Earning(e.participantId(), e.identity(), e.name(), e.amount(), e.badges()));
                    }
                    return Answer.ok(new ApiAnswer.Earnings(rooms.purchases().prices().currency(), list));
                }
                case "GET supporters" -> {
                    List<ApiAnswer.Supporter> list = new ArrayList<>();
                    for (Purchases.Supporter s : rooms.supporters(signedIn(c), id)) {
                        list.add(new ApiAnswer.Supporter(s.identity(), s.name(), s.amount(), s.hearts(), s.badges()));
                    }
                    return Answer.ok(new ApiAnswer.Supporters(rooms.purchases().prices().currency(), list));
                }
                case "POST hand", "DELETE hand" -> {
                    read(c, ApiRequest.Empty.class);
                    rooms.raiseHand(signedIn(c), id, c.method.equals("POST"));
                    return Answer.noContent();
                }
                case "POST go-live" -> {
                    read(c, ApiRequest.Empty.class);
                    return Answer.ok(view(rooms.goLive(signedIn(c), id)));
                }
                case "GET comments" -> {
                    LiveComments.Page page = rooms.comments().comments(signedIn(c), id, c.param("before"), limit(c));
                    return Answer.ok(new ApiAnswer.CommentPage(page.comments(), page.pinned()));
                }
                case "PUT pin" -> {
                    rooms.comments().pin(signedIn(c), id, read(c, ApiRequest.Pin.class).commentId());
                    return Answer.noContent();
                }
                case "DELETE pin" -> {
                    read(c, ApiRequest.Empty.class);
                    rooms.comments().pin(signedIn(c), id, null);
                    return Answer.noContent();
                }
                case "PUT comments-off" -> {
                    rooms.comments().setCommentsOff(signedIn(c), id, read(c, ApiRequest.CommentsOff.class).off());
                    return Answer.noContent();
                }
                case "GET moderation" -> {
                    return Answer.ok(moderationReview(rooms.comments().moderation(signedIn(c), id)));
                }
                default -> throw unknown(c);
            }
        }
        if (c.path.length == 4 && action.equals("comments") && c.method.equals("DELETE")) {
            read(c, ApiRequest.Empty.class);
            rooms.comments().hide(signedIn(c), id, c.path[3]);
            return Answer.noContent();
        }
        if (c.path.length == 5 && action.equals("comments") && c.method.equals("POST") && c.path[4].equals("report")) {
            rooms.comments().report(signedIn(c), id, c.path[3], read(c, ApiRequest.CommentReport.class).reason());
            return Answer.noContent();
        }
        if (c.path.length == 4 && action.equals("invitation") && c.method.equals("POST")) {
            read(c, ApiRequest.Empty.class);
            switch (c.path[3]) {
                case "accept" -> rooms.answerInvitation(signedIn(c), id, true);
                case "decline" -> rooms.answerInvitation(signedIn(c), id, false);
                default -> throw unknown(c);
            }
            return Answer.noContent();
        }
        if (c.path.length == 5 && action.equals("lobby") && c.method.equals("POST")) {
            read(c, ApiRequest.Empty.class);
            switch (c.path[4]) {
                case "admit" -> rooms.answerKnock(signedIn(c), id, c.path[3], true);
                case "deny" -> rooms.answerKnock(signedIn(c), id, c.path[3], false);
                default -> throw unknown(c);
            }
            return Answer.noContent();
        }
        if (c.path.length == 5 && action.equals("participants")) {
            String pid = c.path[3];
            switch (c.method + " " + c.path[4]) {
                case "POST remove" -> {
                    read(c, ApiRequest.Empty.class);
                    rooms.remove(signedIn(c), id, pid);
                    return Answer.noContent();
                }
                case "POST block" -> {
                    read(c, ApiRequest.Empty.class);
                    rooms.block(signedIn(c), id, pid);
                    return Answer.noContent();
                }
                case "DELETE hand" -> {
                    read(c, ApiRequest.Empty.class);
                    rooms.declineHand(signedIn(c), id, pid);
                    return Answer.noContent();
                }
                case "PUT comments-off" -> {
                    rooms.comments().setMemberCommentsOff(signedIn(c), id, pid, read(c, ApiRequest.CommentsOff.class).off());
                    return Answer.noContent();
                }
                case "PUT role" -> {
                    String result = rooms.setRole(signedIn(c), id, pid, read(c, ApiRequest.RoleChange.class).role());
                    return Answer.ok(new ApiAnswer.RoleResult(result.equals("invited")
                            ? ApiAnswer.RoleOutcome.INVITED : ApiAnswer.RoleOutcome.DONE));
                }
                default -> throw unknown(c);
            }
        }
        throw unknown(c);
    }

    private void refuseWhileDraining() throws ControlException {
        if (draining.getAsBoolean()) throw new ControlException(ErrorCode.SERVER_DRAINING, SalottoServer.DRAINING_REFUSAL);
    }

    private Room createRoom(Call c) throws ControlException {
        ApiRequest.NewRoom b = read(c, ApiRequest.NewRoom.class);
        RoomKind kind = RoomKind.fromApi(Wire.name(b.kind()));
        Visibility visibility = b.visibility() == null ? Visibility.PUBLIC : visibility(b.visibility());
        return rooms.create(c.caller, new RoomService.NewRoom(kind, b.title(), b.activity(), visibility, b.scheduledStart(),
                b.knock() != null && b.knock(), b.practice() != null && b.practice()));
    }

    /** {@code ?limit=}: 1 to 200 comments, 50 if absent. */
    private static int limit(Call c) throws ControlException {
        String v = c.param("limit");
        if (v == null) return LiveComments.DEFAULT_PAGE;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= LiveComments.MAX_PAGE) return n;
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new ControlException(ErrorCode.BAD_REQUEST, "'limit' must be an integer from 1 to " + LiveComments.MAX_PAGE);
    }

    private static ApiAnswer.ModerationReview moderationReview(List<ModerationAction> actions) {
        List<ApiAnswer.ModerationEntry> out = new ArrayList<>(actions.size());
        for (ModerationAction a : actions) {
            out.add(new ApiAnswer.ModerationEntry(a.at(), a.actorName(), ApiAnswer.ModerationKind.valueOf(a.action().name()),
                    a.targetName(), a.commentId(), a.commentText(), a.detail()));
        }
        return new ApiAnswer.ModerationReview(out);
    }

    /** The rooms layer's visibility of the wire's, or null. */
    private static Visibility visibility(ServerFrame.Visibility v) {
        return v == null ? null : Visibility.fromApi(Wire.name(v));
    }

    /** A request's body as its record. */
    private static <R extends Record> R read(Call c, Class<R> type) throws ControlException {
        return BodyCodec.read(c.body, type);
    }

    private ApiAnswer.RoomList roomList(List<Room> list) {
        List<ServerFrame.Room> views = new ArrayList<>(list.size());
        for (Room r : list) views.add(view(r));
        return new ApiAnswer.RoomList(views);
    }

    /** A room as the API shows it, with how many people are in it now. */
    private ServerFrame.Room view(Room r) {
        return rooms.view(r);
    }

    private static ApiAnswer.BadgePrices badgePrices(org.salotto.rooms.money.BadgePrices prices) {
        List<ApiAnswer.BadgePrice> list = new ArrayList<>();
        for (int hearts = 1; hearts <= org.salotto.rooms.money.BadgePrices.MAX_HEARTS; hearts++) {
            list.add(new ApiAnswer.BadgePrice(hearts, prices.price(hearts)));
        }
        return new ApiAnswer.BadgePrices(prices.currency(), list);
    }

    private static ApiAnswer.Purchase purchase(Purchase p) {
        return new ApiAnswer.Purchase(p.id(), p.roomId(), p.buyerParticipantId(), p.targetParticipantId(), p.hearts(),
                p.amount(), p.currency(), p.at(), p.state() == Purchase.State.REFUNDED
                        ? ApiAnswer.PurchaseState.REFUNDED : ApiAnswer.PurchaseState.COMPLETED);
    }

    private static ApiAnswer.Account account(Account a) {
        return new ApiAnswer.Account(a.id(), a.username(), a.displayName());
    }

    // ---- who calls ----

    /**
     * Who calls: the session cookie's account, an API key, or a guest token. A guest token that is not (or no longer)
     * valid is refused with {@code invalid_token}, so that the app knows to get a new one (guest tokens expire).
     */
    private Caller caller(Request request, String session) throws RoomException {
        Optional<Caller> fromCookie = accounts.sessionCaller(session);
        if (fromCookie.isPresent()) return fromCookie.get();
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null || !auth.startsWith("Bearer ")) return null;
        String token = auth.substring("Bearer ".length()).strip();
        if (token.startsWith("sk_")) return accounts.apiKeyCaller(token).orElse(null);
        return rooms.guestCaller(token).orElseThrow(() -> new RoomException(ErrorCode.INVALID_TOKEN,
                "this guest token has expired or is not valid: get a new one (POST /api/guests)"));
    }

    /**
     * The caller of an action on a room, refused before the room is looked up: the rooms layer looks the room up
     * first, so an anonymous caller would get "not found" for an unknown room and "log in" for a private one.
     */
    private static Caller signedIn(Call c) throws RoomException {
        if (c.caller == null) throw new RoomException(ErrorCode.UNAUTHENTICATED, "log in, or use your guest token");
        return c.caller;
    }

    private static Caller requireAccount(Call c) throws RoomException {
        if (c.caller == null || !c.caller.isAccount()) throw new RoomException(ErrorCode.UNAUTHENTICATED, "log in first");
        return c.caller;
    }

    private static String cookie(Request request, String name) {
        List<HttpCookie> cookies = Request.getCookies(request);
        for (HttpCookie cookie : cookies) if (cookie.getName().equals(name)) return cookie.getValue();
        return null;
    }

    /** Secure when the page is HTTPS (directly or through a trusted proxy): the cookie never travels in clear. */
    private static HttpCookie sessionCookie(String value, long maxAgeSeconds, boolean secure) {
        return HttpCookie.build(SESSION_COOKIE, value).path("/").httpOnly(true).sameSite(HttpCookie.SameSite.LAX)
                .secure(secure).maxAge(maxAgeSeconds).build();
    }

    /**
     * The device cookie: this browser has logged in to the account before, so its logins skip the lockout others cause
     * (Accounts#logIn). Sent only to {@code /api/sessions}; a year long; it opens nothing by itself.
     */
    private static HttpCookie deviceCookie(String value, boolean secure) {
        return HttpCookie.build(DEVICE_COOKIE, value).path("/api/sessions").httpOnly(true)
                .sameSite(HttpCookie.SameSite.STRICT).secure(secure).maxAge(DEVICE_COOKIE_SECONDS).build();
    }

    // ---- bodies and answers ----

    private static String readBody(Request request) throws ControlException, IOException {
        long declared = request.getLength();
        boolean expectsContinue = request.getHeaders().contains(HttpHeader.EXPECT, "100-continue");
        if (declared > MAX_BODY) {
            // A client waiting for "100 Continue" sends nothing more; any other one sends the body anyway.
            if (!expectsContinue) drain(request);
            throw tooLarge();
        }
        // A Content-Type is checked even on an empty body: an HTML form (urlencoded, multipart, text/plain) is never
        // an API request, whatever it carries.
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        boolean json = type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
        if (type != null && !json) {
            if (declared != 0 && !expectsContinue) drain(request);
            throw unsupportedType();
        }
        if (declared == 0) return "";
        try (InputStream in = Request.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                drain(in);
                throw tooLarge();
            }
            if (bytes.length > 0 && !json) throw unsupportedType();
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * Reads and drops up to {@link #MAX_DRAIN} bytes of a body that is too large. Jetty closes a connection whose
     * request body is left unread, and a client still writing that body then sees a reset instead of our 413; past
     * the limit we let that happen rather than read without end.
     */
    private static void drain(Request request) throws IOException {
        try (InputStream in = Request.asInputStream(request)) {
            drain(in);
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] sink = new byte[8192];
        long left = MAX_DRAIN;
        int n;
        while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) left -= n;
    }

    private static ControlException unsupportedType() {
        return new ControlException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
    }

    private static ControlException tooLarge() {
        return new ControlException(ErrorCode.PAYLOAD_TOO_LARGE, "a request body may be at most " + MAX_BODY + " bytes");
    }

    private static ControlException unknown(Call c) {
        return new ControlException(ErrorCode.NO_SUCH_ENDPOINT, "there is no " + c.method + " /api/" + String.join("/", c.path)
                + " (see /api/openapi.json)");
    }

    private static Answer error(ErrorCode code, String message) {
        HttpError body = new HttpError(code, message);
        return new Answer(body.status(), body, List.of());
    }

    private static void respond(Response response, Callback callback, Answer a) {
        response.setStatus(a.status());
        if (a.retryAfterSeconds() > 0) response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(a.retryAfterSeconds()));
        if (a.replayed()) response.getHeaders().put(IDEMPOTENT_REPLAYED, "true");
        for (HttpCookie cookie : a.cookies()) Response.addCookie(response, cookie);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (a.body() == null) {
            callback.succeeded();
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(BodyCodec.write(a.body()).getBytes(StandardCharsets.UTF_8)), callback);
    }
}
