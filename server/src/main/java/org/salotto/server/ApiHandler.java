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
import org.salotto.rooms.people.AdminAction;
import org.salotto.rooms.people.Avatar;
import org.salotto.rooms.people.AvatarImages;
import org.salotto.rooms.people.People;
import org.salotto.rooms.people.Person;
import org.salotto.rooms.people.Report;
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
    /** How much of an avatar over its limit is read and dropped (see readImage). */
    private static final int AVATAR_DRAIN = 32 * 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final AtomicLong ERROR_REFS = new AtomicLong();

    private final RoomService rooms;
    private final Accounts accounts;
    private final byte[] openApi;
    private final byte[] asyncApi;
    /** True while the server drains: join tokens are refused (SalottoServer#drain). */
    private final java.util.function.BooleanSupplier draining;
    private final Limiters limiters;
    private final People people;
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
        this.people = rooms.peopleService();
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
                        boolean https, String deviceToken, String query, String idempotencyKey, byte[] upload) {
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
            if (request.getMethod().equals("GET") && path.startsWith("/api/users/") && path.endsWith("/avatar")) {
                String[] p = path.split("/", -1);
                if (p.length == 5) {
                    avatar(request, response, callback, p[3]);
                    return true;
                }
            }
            if (path.equals(NOTIFICATION_STREAM)) {
                Answer refused = stream(request, response, callback);
                if (refused == null) return true;
                answer = refused;
            } else {
                answer = route(request, path);
            }
        } catch (ControlException e) {
            answer = error(e.errorCode(), e.getMessage());
            if (e.nodeUrl() != null) {
                // wrong_node: the same request to the room's owner (421 Misdirected Request, RFC 9110 section 15.5.20).
                HttpError body = new HttpError(e);
                answer = new Answer(body.status(), body, List.of());
                response.getHeaders().put(HttpHeader.LOCATION, ownerLocation(e.nodeUrl(), request));
            }
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

    // ---- notifications (issue 13): the real-time stream ----

    static final String NOTIFICATION_STREAM = "/api/me/notifications/stream";

    /**
     * Opens a signed-in account's notification stream (server-sent events, see {@link NotificationStream}); returns
     * null once it is open, or the refusal.
     */
    private Answer stream(Request request, Response response, Callback callback) throws ControlException {
        if (!request.getMethod().equals("GET")) {
            throw new ControlException(ErrorCode.METHOD_NOT_ALLOWED, "the notification stream is read with GET");
        }
        Caller caller = streamCaller(request);
        if (caller == null || !caller.isAccount()) throw new RoomException(ErrorCode.UNAUTHENTICATED, "log in first");
        String last = request.getHeaders().get("Last-Event-ID");
        if (last == null) last = new Call("GET", new String[0], "", caller, null, null, false, null,
                request.getHttpURI().getQuery(), null, null).param("after");
        Long after = last == null || last.isBlank() ? null : notificationId(last, "Last-Event-ID");
        new NotificationStream(caller.accountId(), response, callback, rooms.notifications()).start(request, after);
        return null;
    }

    /**
     * The stream's caller, the session read again a few times (after a random pause) while the database's pool is
     * exhausted: every tab of every person reconnects at once after a restart, and a refused EventSource gives up.
     */
    private Caller streamCaller(Request request) throws ControlException {
        for (int attempt = 1; ; attempt++) {
            try {
                return caller(request, cookie(request, SESSION_COOKIE));
            } catch (StoreException.Unavailable e) {
                if (attempt == 5) throw e;
                try {
                    Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(100, 100 + 300L * attempt));
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** A notification id from the client: a positive whole number. */
    private static long notificationId(String text, String what) throws ControlException {
        try {
            long id = Long.parseLong(text.strip());
            if (id >= 0) return id;
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new ControlException(ErrorCode.BAD_REQUEST, "'" + what + "' must be a notification id");
    }

    /** A notification as the API shows it. */
    static ApiAnswer.Notification notification(org.salotto.rooms.notify.Notification n) {
        var a = n.actor();
        return new ApiAnswer.Notification(Long.toString(n.id()), ApiAnswer.NotificationType.valueOf(n.type().name()), n.text(),
                n.roomId(), n.link(), a == null ? null : new ApiAnswer.NotificationActor(a.username(), a.displayName(), a.avatarUrl()),
                n.createdAt(), n.read());
    }

    /** {@code /api/me/notifications}: the inbox and read marks (the stream is {@link #stream}). */
    private Answer notificationsRoute(Call c, Caller caller) throws ControlException {
        var notifications = rooms.notifications();
        if (c.is("GET", 2)) {
            String before = c.param("before");
            Long beforeId = before == null ? null : notificationId(before, "before");
            var page = notifications.inbox(caller.accountId(), beforeId, notificationLimit(c));
            List<ApiAnswer.Notification> list = new ArrayList<>();
            for (var n : page.notifications()) list.add(notification(n));
            return Answer.ok(new ApiAnswer.NotificationPage(list, page.unread(),
                    page.next() == null ? null : Long.toString(page.next())));
        }
        if (c.is("POST", 3) && c.path[2].equals("read")) {
            ApiRequest.MarkRead b = read(c, ApiRequest.MarkRead.class);
            boolean all = b.all() != null && b.all();
            List<Long> ids = new ArrayList<>();
            if (b.ids() != null) for (String id : b.ids()) ids.add(notificationId(id, "ids"));
            if (!all && ids.isEmpty()) throw new ControlException(ErrorCode.BAD_REQUEST, "give 'ids' or 'all': true");
            notifications.markRead(caller.accountId(), ids, all);
            return Answer.noContent();
        }
        throw unknown(c);
    }

    /** {@code ?limit=}: 1 to 100 notifications, 50 if absent. */
    private static int notificationLimit(Call c) throws ControlException {
        String v = c.param("limit");
        if (v == null) return 50;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 100) return n;
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new ControlException(ErrorCode.BAD_REQUEST, "'limit' must be an integer from 1 to 100");
    }

    private Answer route(Request request, String fullPath) throws ControlException, IOException {
        String rest = fullPath.length() > "/api/".length() ? fullPath.substring("/api/".length()) : "";
        String[] p = rest.split("/", -1);
        String method = request.getMethod();
        if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
            throw new ControlException(ErrorCode.METHOD_NOT_ALLOWED, method + " is not used by this API");
        }
        // An avatar is the one body that is not JSON, and may be larger than MAX_BODY.
        boolean avatarUpload = method.equals("PUT") && rest.equals("me/avatar");
        String session = cookie(request, SESSION_COOKIE);
        Caller caller;
        byte[] upload = null;
        String body = "";
        if (avatarUpload) {
            // Under /api/me who calls is checked first, before megabytes of image are read.
            caller = caller(request, session);
            if (caller == null || !caller.isAccount()) throw new RoomException(ErrorCode.UNAUTHENTICATED, "log in first");
            upload = readImage(request, people.config().avatarMaxBytes());
        } else {
            body = readBody(request);
            caller = caller(request, session);
        }
        RequestSource source = RequestSource.of(request);
        Call c = new Call(method, p, body, caller, session, source.clientAddress(), source.https(),
                cookie(request, DEVICE_COOKIE), request.getHttpURI().getQuery(), request.getHeaders().get(IDEMPOTENCY_KEY),
                upload);
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
            case "users" -> usersRoute(c);
            case "home" -> {
                if (!c.is("GET", 1)) throw unknown(c);
                yield Answer.ok(home(people.home(c.caller)));
            }
            case "reports" -> reportsRoute(c);
            case "admin" -> adminRoute(c);
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

    // ---- WHIP and WHEP (issue 14) ----

    /** {@code GET/PUT /api/rooms/{id}/whep}: the host's anonymous WHEP setting (docs/api.md "WHIP and WHEP"). */
    private Answer whepSettingsRoute(Call c, String id) throws ControlException {
        if (c.method.equals("GET")) return Answer.ok(new ApiAnswer.WhepSettings(rooms.anonymousWhep(signedIn(c), id)));
        ApiRequest.WhepSettingsChange b = read(c, ApiRequest.WhepSettingsChange.class);
        if (b.anonymous() == null) throw new ControlException(ErrorCode.BAD_REQUEST, "'anonymous' (true or false) is required");
        return Answer.ok(new ApiAnswer.WhepSettings(rooms.setAnonymousWhep(signedIn(c), id, b.anonymous())));
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
        if (what.equals("notifications")) return notificationsRoute(c, caller);
        if (what.equals("rooms") && c.is("GET", 2)) return Answer.ok(roomList(rooms.roomsOf(caller)));
        if (what.equals("profile") && c.is("PUT", 2)) {
            ApiRequest.ProfileChanges b = read(c, ApiRequest.ProfileChanges.class);
            return Answer.ok(profile(people.updateProfile(caller, b.displayName(), b.bio())));
        }
        if (what.equals("avatar") && c.is("PUT", 2)) return Answer.ok(profile(people.setAvatar(caller, c.upload)));
        if (what.equals("avatar") && c.is("DELETE", 2)) {
            read(c, ApiRequest.Empty.class);
            people.deleteAvatar(caller);
            return Answer.noContent();
        }
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
        if (what.equals("signing-keys")) return signingKeysRoute(c, caller);
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
                    return Answer.created(webhook(webhooks.create(caller, b.url(), b.description(), b.eventTypes()), true));
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
                                b.eventTypes(), b.enabled()), false));
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
                            b.locked(), b.knock(), b.scheduledStart(), b.invitees())));
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
                    String token = rooms.appJoinToken(c.caller, id, b.user(), b.displayName(), tokenGrants(b), b.metadata());
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
                case "PUT reminder", "DELETE reminder" -> {
                    read(c, ApiRequest.Empty.class);
                    rooms.remindMe(signedIn(c), id, c.method.equals("PUT"));
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
                case "GET whep", "PUT whep" -> {
                    return whepSettingsRoute(c, id);
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
            String reason = read(c, ApiRequest.CommentReport.class).reason();
            rooms.comments().report(signedIn(c), id, c.path[3], reason);
            // An account's report also goes to the server's admins (a guest's stays with the host).
            people.commentReportedInLive(c.caller, id, c.path[3], reason);
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
                case "PUT grants" -> {
                    return setGrants(c, id, pid);
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

    // ---- join tokens with grants (issue 14) ----

    /** {@code /api/me/signing-keys}: the Ed25519 public keys that verify the account's EdDSA join tokens. */
    private Answer signingKeysRoute(Call c, Caller caller) throws ControlException {
        if (caller.apiKeyId() != null) throw new RoomException(ErrorCode.NOT_ALLOWED, "signing keys are managed from a logged-in browser session");
        if (c.is("POST", 2)) {
            ApiRequest.SigningKeyRequest b = read(c, ApiRequest.SigningKeyRequest.class);
            return Answer.created(signingKey(rooms.joinKeys().register(caller.accountId(), b.name(), b.publicKey())));
        }
        if (c.is("GET", 2)) {
            List<ApiAnswer.SigningKey> keys = new ArrayList<>();
            for (var k : rooms.joinKeys().signingKeys(caller.accountId())) keys.add(signingKey(k));
            return Answer.ok(new ApiAnswer.SigningKeyList(keys));
        }
        if (c.is("DELETE", 3)) {
            if (!rooms.joinKeys().delete(caller.accountId(), c.path[2])) throw new ControlException(ErrorCode.NOT_FOUND, "you have no signing key with this id");
            return Answer.noContent();
        }
        throw unknown(c);
    }

    private static ApiAnswer.SigningKey signingKey(org.salotto.rooms.store.SigningKey k) {
        return new ApiAnswer.SigningKey(k.id(), k.name(), org.salotto.rooms.auth.TokenSigner.base64url(k.publicKey()), k.createdAt());
    }

    /** {@code PUT /api/rooms/{id}/participants/{pid}/grants}: the host's account changes what someone may do, at once. */
    private Answer setGrants(Call c, String roomId, String participantId) throws ControlException {
        ApiRequest.GrantsChange b = read(c, ApiRequest.GrantsChange.class);
        if (b.publish() == null && b.subscribe() == null && b.admin() == null && b.hidden() == null) {
            throw new ControlException(ErrorCode.BAD_REQUEST, "give at least one of 'publish', 'subscribe', 'admin', 'hidden'");
        }
        rooms.setGrants(signedIn(c), roomId, participantId, sources(b.publish()), b.subscribe(), b.admin(), b.hidden());
        return Answer.noContent();
    }

    /** The grants of {@code POST .../tokens}: null (what the role allows) when the body gives none. */
    private static org.salotto.rooms.Grants tokenGrants(ApiRequest.AppTokenRequest b) {
        if (b.publish() == null && b.subscribe() == null && b.admin() == null && b.hidden() == null && b.role() == null) return null;
        java.util.Set<org.salotto.rooms.Grants.Source> publish = b.publish() == null ? java.util.Set.of() : sources(b.publish());
        return new org.salotto.rooms.Grants(publish, b.subscribe() == null || b.subscribe(), Boolean.TRUE.equals(b.admin()),
                Boolean.TRUE.equals(b.hidden()), b.role());
    }

    private static java.util.Set<org.salotto.rooms.Grants.Source> sources(List<ApiRequest.GrantSource> list) {
        if (list == null) return null;
        java.util.Set<org.salotto.rooms.Grants.Source> out = java.util.EnumSet.noneOf(org.salotto.rooms.Grants.Source.class);
        for (ApiRequest.GrantSource s : list) out.add(org.salotto.rooms.Grants.Source.valueOf(s.name()));
        return out;
    }

    private void refuseWhileDraining() throws ControlException {
        if (draining.getAsBoolean()) throw new ControlException(ErrorCode.SERVER_DRAINING, SalottoServer.DRAINING_REFUSAL);
    }

    private Room createRoom(Call c) throws ControlException {
        ApiRequest.NewRoom b = read(c, ApiRequest.NewRoom.class);
        RoomKind kind = RoomKind.fromApi(Wire.name(b.kind()));
        Visibility visibility = b.visibility() == null ? Visibility.PUBLIC : visibility(b.visibility());
        return rooms.create(c.caller, new RoomService.NewRoom(kind, b.title(), b.activity(), visibility, b.scheduledStart(),
                b.knock() != null && b.knock(), b.practice() != null && b.practice(), b.invitees()));
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

    private ApiAnswer.Account account(Account a) {
        return new ApiAnswer.Account(a.id(), a.username(), a.displayName(), people.isAdmin(a.id()));
    }

    // ---- people (issue 13) ----

    private Answer usersRoute(Call c) throws ControlException {
        if (c.path.length < 2 || c.path[1].isEmpty()) throw unknown(c);
        String username = c.path[1];
        if (c.is("GET", 2)) return Answer.ok(profile(people.profile(c.caller, username)));
        if (c.path.length != 3) throw unknown(c);
        switch (c.method + " " + c.path[2]) {
            case "PUT follow", "DELETE follow" -> {
                read(c, ApiRequest.Empty.class);
                people.follow(requireAccount(c), username, c.method.equals("PUT"));
                return Answer.noContent();
            }
            case "GET followers", "GET following" -> {
                People.Page page = people.follows(c.caller, username, c.path[2].equals("followers"), c.param("before"),
                        pageLimit(c));
                List<ApiAnswer.PersonSummary> list = new ArrayList<>(page.people().size());
                for (People.Summary s : page.people()) list.add(summary(s));
                return Answer.ok(new ApiAnswer.PersonPage(list, page.next()));
            }
            default -> throw unknown(c);
        }
    }

    private Answer reportsRoute(Call c) throws ControlException {
        if (!c.is("POST", 1)) throw unknown(c);
        Caller caller = requireAccount(c);
        ApiRequest.NewReport b = read(c, ApiRequest.NewReport.class);
        Report.Kind kind = b.kind() == null ? null : Report.Kind.valueOf(b.kind().name());
        Report r = people.report(caller, kind, b.roomId(), b.participantId(), b.commentId(), b.reason());
        Person me = people.person(accounts.account(caller.accountId()).orElseThrow().username());
        Room room = r.roomId() == null ? null : rooms.room(r.roomId());
        // The reporter is not told the reported account's username: only the admins see who it is.
        return Answer.created(report(new People.ReportView(r, new People.Summary(me, false), room, null)));
    }

    private Answer adminRoute(Call c) throws ControlException {
        Caller caller = requireAccount(c);
        if (c.is("GET", 2) && c.path[1].equals("reports")) {
            String state = c.param("state");
            if (state != null && !state.equals("open") && !state.equals("all")) {
                throw new ControlException(ErrorCode.BAD_REQUEST, "'state' must be open (the default) or all");
            }
            List<ApiAnswer.Report> list = new ArrayList<>();
            for (People.ReportView v : people.reports(caller, state == null || state.equals("open"))) list.add(report(v));
            return Answer.ok(new ApiAnswer.ReportList(list));
        }
        if (c.is("GET", 2) && c.path[1].equals("actions")) {
            List<ApiAnswer.AdminAction> list = new ArrayList<>();
            for (People.ActionView v : people.actions(caller)) {
                AdminAction a = v.action();
                list.add(new ApiAnswer.AdminAction(Long.toString(a.id()), a.at(),
                        ApiAnswer.AdminActionKind.valueOf(a.action().name()),
                        v.admin() == null ? null : v.admin().username(),
                        a.reportId() == null ? null : Long.toString(a.reportId()), a.roomId(),
                        v.account() == null ? null : v.account().username(), a.detail()));
            }
            return Answer.ok(new ApiAnswer.AdminActionList(list));
        }
        if (c.is("POST", 4) && c.path[1].equals("reports") && c.path[3].equals("dismiss")) {
            read(c, ApiRequest.Empty.class);
            people.dismiss(caller, c.path[2]);
            return Answer.noContent();
        }
        if (c.is("POST", 4) && c.path[1].equals("rooms") && c.path[3].equals("end")) {
            people.endRoom(caller, c.path[2], read(c, ApiRequest.AdminEnd.class).reportId());
            return Answer.noContent();
        }
        if (c.is("POST", 4) && c.path[1].equals("accounts") && c.path[3].equals("suspend")) {
            ApiRequest.Suspension b = read(c, ApiRequest.Suspension.class);
            people.suspend(caller, c.path[2], b.reportId(), b.reason());
            return Answer.noContent();
        }
        if (c.is("POST", 4) && c.path[1].equals("accounts") && c.path[3].equals("restore")) {
            read(c, ApiRequest.Empty.class);
            people.restore(caller, c.path[2]);
            return Answer.noContent();
        }
        throw unknown(c);
    }

    /** {@code GET /api/users/{username}/avatar}: the re-encoded image, cached for good under its versioned URL. */
    private void avatar(Request request, Response response, Callback callback, String username) throws ControlException {
        Avatar a = people.avatar(username)
                .orElseThrow(() -> new ControlException(ErrorCode.NOT_FOUND, username + " has no avatar"));
        String v = Request.extractQueryParameters(request).getValue("v");
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, a.contentType());
        // The URL changes with each upload (?v=): the current one never changes. An old or missing version gets the
        // current image, checked again each time.
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, Long.toString(a.version()).equals(v)
                ? "public, max-age=31536000, immutable" : "no-cache");
        response.write(true, ByteBuffer.wrap(a.image()), callback);
    }

    /** {@code ?limit=}: 1 to 100 people, 50 if absent. */
    private static int pageLimit(Call c) throws ControlException {
        String v = c.param("limit");
        if (v == null) return People.DEFAULT_PAGE;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= People.MAX_PAGE) return n;
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new ControlException(ErrorCode.BAD_REQUEST, "'limit' must be an integer from 1 to " + People.MAX_PAGE);
    }

    private static String avatarUrl(Person p) {
        return p.avatarVersion() == null ? null : "/api/users/" + p.username() + "/avatar?v=" + p.avatarVersion();
    }

    private static ApiAnswer.PersonSummary summary(People.Summary s) {
        Person p = s.person();
        return new ApiAnswer.PersonSummary(p.username(), p.displayName(), avatarUrl(p), s.followedByMe());
    }

    private ApiAnswer.Profile profile(People.Profile pr) {
        Person p = pr.person();
        List<ServerFrame.Room> open = new ArrayList<>();
        for (Room r : pr.openRooms()) open.add(view(r));
        List<ServerFrame.Room> upcoming = new ArrayList<>();
        for (Room r : pr.upcomingRooms()) upcoming.add(view(r));
        return new ApiAnswer.Profile(p.username(), p.displayName(), p.bio(), avatarUrl(p), pr.followers(), pr.following(),
                pr.followedByMe(), pr.me(), open, upcoming);
    }

    private ApiAnswer.Home home(People.Home h) {
        return new ApiAnswer.Home(homeRooms(h.liveFromFollowed()), homeRooms(h.upcoming()), homeRooms(h.openNow()));
    }

    private List<ApiAnswer.HomeRoom> homeRooms(List<People.ListedRoom> list) {
        List<ApiAnswer.HomeRoom> out = new ArrayList<>(list.size());
        for (People.ListedRoom r : list) out.add(new ApiAnswer.HomeRoom(view(r.room()), summary(r.host()), r.remindMe(), r.invited()));
        return out;
    }

    private ApiAnswer.Report report(People.ReportView v) {
        Report r = v.report();
        return new ApiAnswer.Report(Long.toString(r.id()), ApiAnswer.ReportKind.valueOf(r.kind().name()),
                ApiAnswer.ReportState.valueOf(r.state().name()), r.reason(), r.context(), r.createdAt(), summary(v.reporter()),
                v.room() == null ? null : view(v.room()), r.targetName(), r.targetIdentity(),
                v.target() == null ? null : summary(v.target()), r.commentId());
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

    /**
     * An avatar upload: a PNG, JPEG, GIF or WebP body of at most {@code max} bytes (people.avatar-max-bytes). Its
     * Content-Type is checked here; what it really is, by decoding it (AvatarImages).
     */
    private static byte[] readImage(Request request, int max) throws ControlException, IOException {
        long declared = request.getLength();
        boolean expectsContinue = request.getHeaders().contains(HttpHeader.EXPECT, "100-continue");
        if (declared > max) {
            // A photo straight from a phone is often a few times the limit: read it all (up to AVATAR_DRAIN) so that
            // the browser gets the 413 rather than a reset connection.
            if (!expectsContinue) drain(request, AVATAR_DRAIN);
            throw avatarTooLarge(max);
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!AvatarImages.UPLOAD_TYPES.contains(mime)) {
            if (declared != 0 && !expectsContinue) drain(request);
            throw new ControlException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "send the avatar as the request body with Content-Type image/png, image/jpeg or image/gif");
        }
        try (InputStream in = Request.asInputStream(request)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                drain(in, AVATAR_DRAIN);
                throw avatarTooLarge(max);
            }
            if (bytes.length == 0) throw new ControlException(ErrorCode.BAD_REQUEST, "the body is empty: send the image");
            return bytes;
        }
    }

    private static ControlException avatarTooLarge(int max) {
        return new ControlException(ErrorCode.PAYLOAD_TOO_LARGE, "an avatar may be at most " + (max / 1024) + " KiB");
    }

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
        drain(request, MAX_DRAIN);
    }

    private static void drain(Request request, long limit) throws IOException {
        try (InputStream in = Request.asInputStream(request)) {
            drain(in, limit);
        }
    }

    private static void drain(InputStream in) throws IOException {
        drain(in, MAX_DRAIN);
    }

    private static void drain(InputStream in, long limit) throws IOException {
        byte[] sink = new byte[8192];
        long left = limit;
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

    /** The URL of the same request on the node {@code nodeUrl}: its path and query, unchanged. */
    static String ownerLocation(String nodeUrl, Request request) {
        String query = request.getHttpURI().getQuery();
        return nodeUrl + request.getHttpURI().getPath() + (query == null ? "" : "?" + query);
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
