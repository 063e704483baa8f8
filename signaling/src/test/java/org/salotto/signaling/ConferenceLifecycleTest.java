package org.salotto.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.salotto.media.MediaServer;
import org.salotto.media.transport.MediaBusyException;
import org.salotto.media.transport.TransportListener;
import org.salotto.media.transport.WebRtcTransport;
import org.salotto.signaling.sdp.Direction;
import org.salotto.signaling.sdp.MediaDescription;
import org.salotto.signaling.sdp.SdpParser;
import org.salotto.signaling.sdp.SessionDescription;

/**
 * What happens to people when their media connections come and go, on a real media server with a short consent
 * timeout: a connection closing never takes anyone out, nobody is dropped for having nothing to receive, and the
 * hooks a resumed session needs (rebind, subscriber ICE restart) do what they say.
 */
class ConferenceLifecycleTest {
    private static final String OFFER = fixture("chrome-publisher-offer.sdp");
    private static final String CLIENT_UFRAG = "Xq7v";

    private final ExecutorService control = Executors.newVirtualThreadPerTaskExecutor();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private MediaServer media;
    private Conference room;

    private void start(Duration consentTimeout, int queueCapacity) throws IOException {
        media = MediaServer.start(new InetSocketAddress("127.0.0.1", 0), control, queueCapacity);
        media.setConsentTimeout(consentTimeout);
        SignalingService signaling = new SignalingService(media, "127.0.0.1", media.localAddress().getPort());
        closing.add(signaling); // its active-speakers timer
        room = signaling.conference("room");
    }

    private void start(Duration consentTimeout) throws IOException {
        start(consentTimeout, 65_536);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing) c.close();
        if (media != null) media.close();
        control.close();
    }

    private TestClient join(String id, PublishPolicy policy) {
        TestClient c = new TestClient(id);
        c.media = room.join(id, id, c.outbox, policy);
        return c;
    }

    private IcePeer peer(String clientUfrag) throws IOException {
        IcePeer p = new IcePeer(media.localAddress(), clientUfrag);
        closing.add(p);
        return p;
    }

    private static ObjectNode frame(String type, String field, String value) {
        ObjectNode n = Messages.message(type);
        n.put(field, value);
        return n;
    }

    /** Publishes Chrome's offer (audio and video) and returns the server's answer. */
    private String publish(TestClient c, String offer) throws Exception {
        c.media.handle("publish", frame("publish", "sdp", offer), null);
        return c.await("publishAnswer").path("sdp").asText();
    }

    private static String ufrag(String sdp) throws Exception {
        return SdpParser.parse(sdp).media().getFirst().attribute("ice-ufrag").orElseThrow();
    }

    private static List<Direction> directions(String sdp) throws Exception {
        return directions(sdp, null);
    }

    /** The directions of the offer's m-sections of one kind ("audio", "video"; null: all), in order. */
    private static List<Direction> directions(String sdp, String kind) throws Exception {
        SessionDescription sd = SdpParser.parse(sdp);
        List<Direction> out = new ArrayList<>();
        for (MediaDescription m : sd.media()) if (kind == null || m.media().equals(kind)) out.add(m.direction(sd));
        return out;
    }

    /** A listener's audio: the room's three fixed slots (media.audience-audio-slots' default), whoever is on stage. */
    private static final List<Direction> SLOTS = List.of(Direction.SENDONLY, Direction.SENDONLY, Direction.SENDONLY);

    /**
     * Waits until {@code n} transports in a row, each never checked, have been closed for "no ICE check in time":
     * proof that the consent timeout ran out at least n times while the test watched, without guessing at sleeps.
     */
    private void outlastConsentTimeouts(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            CompletableFuture<String> closed = new CompletableFuture<>();
            media.createEndpoint("canary" + i, new TransportListener() {
                @Override public void onConnected(WebRtcTransport t) { }
                @Override public void onClosed(WebRtcTransport t, String reason) { closed.complete(reason); }
            });
            assertEquals("no ICE check in time", closed.get(5, TimeUnit.SECONDS));
        }
    }

    private void assertStillIn(TestClient c) {
        assertFalse(c.media.hasLeft(), c.media.participantId() + " was taken out");
        assertNull(c.closedWith, c.media.participantId() + "'s socket was closed");
        assertEquals(0, c.count("error"), c.media.participantId() + " got an error: " + c.all());
    }

    @Test
    void nobodyIsDroppedForHavingNothingToReceive() throws Exception {
        // Twelve keep-alive rounds per timeout: a loaded machine can hold a virtual thread back for a few of them.
        start(Duration.ofMillis(600));
        // A host alone on stage, before anyone else came, has nothing to receive for ten consent timeouts...
        TestClient host = join("host", PublishPolicy.EVERYTHING);
        String answer = publish(host, OFFER);
        peer(CLIENT_UFRAG).towards(answer).keepAlive();
        outlastConsentTimeouts(10);
        assertStillIn(host);
        assertEquals(0, host.count("subscribeOffer"), "the host was offered a connection with nothing in it");

        // ...and a listener who comes is offered the stage's audio slots and the host's camera at once, and stays
        // connected for ten more, on the one offer.
        TestClient listener = join("listener", PublishPolicy.NOTHING);
        ObjectNode offer = listener.await("subscribeOffer");
        assertFalse(offer.has("newConnection"), "the listener's first connection is no replacement");
        assertEquals(SLOTS, directions(offer.path("sdp").asText(), "audio"));
        assertEquals(List.of(Direction.SENDONLY), directions(offer.path("sdp").asText(), "video"));
        peer("lstn").towards(listener.answer(offer, "lstn")).keepAlive();
        outlastConsentTimeouts(10);

        assertStillIn(host);
        assertStillIn(listener);
        assertEquals(2, room.size());
        assertEquals(0, host.count("subscribeOffer"), "the host was offered a connection with nothing in it");
        assertEquals(0, host.count("transportClosed") + listener.count("transportClosed"));
        assertEquals(1, listener.count("subscribeOffer"));
    }

    @Test
    void aListenerWhoComesBeforeTheStageIsOfferedItsSlotsOnceAndKeptConnected() throws Exception {
        start(Duration.ofMillis(600));
        TestClient listener = join("listener", PublishPolicy.NOTHING);
        ObjectNode offer = listener.await("subscribeOffer");
        assertEquals(SLOTS, directions(offer.path("sdp").asText()), "the slots, silent for now");
        peer("lstn").towards(listener.answer(offer, "lstn")).keepAlive();
        outlastConsentTimeouts(10);
        assertStillIn(listener);
        assertEquals(List.of("subscribeOffer"), listener.types(), "one offer, nothing else, while nobody speaks");

        // A speaker on stage takes a slot: no new offer for the audio, one for the camera only.
        TestClient host = join("host", PublishPolicy.EVERYTHING);
        peer(CLIENT_UFRAG).towards(publish(host, OFFER)).keepAlive();
        ObjectNode second = listener.await("subscribeOffer");
        assertEquals(SLOTS, directions(second.path("sdp").asText(), "audio"), "the same slots");
        assertEquals(msids(offer.path("sdp").asText()), msids(second.path("sdp").asText()).subList(0, 3));
        assertEquals("host", listener.await("stageSlots").path("audio").path(0).path("participantId").asText());
    }

    @Test
    void someoneWithoutTheSubscribeGrantIsOfferedNothingUntilItIsGiven() throws Exception {
        start(Duration.ofSeconds(30));
        TestClient quiet = new TestClient("quiet");
        quiet.media = room.join("quiet", "quiet", quiet.outbox, PublishPolicy.NOTHING, Conference.Receiving.SERVER_OFFERS, false);
        TestClient listener = join("listener", PublishPolicy.NOTHING);
        TestClient host = join("host", PublishPolicy.EVERYTHING);
        publish(host, OFFER);
        // The offers of one change go out together, under the conference's lock: the quiet one's would be there by now.
        listener.await("subscribeOffer");
        quiet.await("trackPublished");
        quiet.await("trackPublished");
        assertEquals(0, quiet.count("subscribeOffer"), "offered tracks without the subscribe grant: " + quiet.all());

        quiet.media.setSubscribe(true);
        ObjectNode offer = quiet.await("subscribeOffer");
        assertEquals(SLOTS, directions(offer.path("sdp").asText(), "audio"));
        assertEquals(List.of(Direction.SENDONLY), directions(offer.path("sdp").asText(), "video"));
        quiet.answer(offer, "quie");
        quiet.media.setSubscribe(false);
        assertEquals(List.of(Direction.INACTIVE, Direction.INACTIVE, Direction.INACTIVE, Direction.INACTIVE),
                directions(quiet.await("subscribeOffer").path("sdp").asText()),
                "the grant taken away takes the tracks and the slots away");
        assertStillIn(quiet);
    }

    @Test
    void someoneWhoseConnectionsWereWithAnotherServerIsOfferedANewOne() throws Exception {
        start(Duration.ofMillis(800));
        TestClient speaker = join("speaker", PublishPolicy.EVERYTHING);
        peer(CLIENT_UFRAG).towards(publish(speaker, OFFER)).keepAlive();
        // Back in a room that moved here: their subscriber connection is with the server that held it before.
        TestClient back = new TestClient("back");
        back.media = room.join("back", "back", back.outbox, PublishPolicy.NOTHING, Conference.Receiving.SERVER_OFFERS,
                true, true);
        ObjectNode first = back.await("subscribeOffer");
        assertTrue(first.path("newConnection").asBoolean(), "answered on a new RTCPeerConnection");
        peer("back").towards(back.answer(first, "back")).keepAlive();
        speaker.media.leave("gone");
        assertFalse(back.await("subscribeOffer").has("newConnection"), "only the first");
    }

    @Test
    void aClosedPublisherConnectionUnpublishesButKeepsThePersonWhoMayPublishAgain() throws Exception {
        start(Duration.ofMillis(800));
        TestClient speaker = join("speaker", PublishPolicy.EVERYTHING);
        String firstAnswer = publish(speaker, OFFER);
        IcePeer publisherPeer = peer(CLIENT_UFRAG).towards(firstAnswer).keepAlive();
        TestClient listener = join("listener", PublishPolicy.NOTHING);
        ObjectNode offer = listener.await("subscribeOffer");
        peer("lstn").towards(listener.answer(offer, "lstn")).keepAlive();

        publisherPeer.stop(); // the browser closed its publishing RTCPeerConnection: checks stop
        ObjectNode closed = speaker.await("transportClosed");
        assertEquals("publisher", closed.path("connection").asText());
        assertEquals("ICE consent expired", closed.path("reason").asText());
        listener.await("trackUnpublished");
        listener.await("trackUnpublished");
        ObjectNode emptied = listener.await("subscribeOffer");
        assertFalse(emptied.has("newConnection"));
        assertEquals(List.of(Direction.INACTIVE), directions(emptied.path("sdp").asText(), "video"));
        assertEquals(SLOTS, directions(emptied.path("sdp").asText(), "audio"), "the slots stay, silent");
        assertStillIn(speaker);
        assertStillIn(listener);
        assertEquals(2, room.size());
        assertEquals("[]", room.tracks().toString());

        // Publishing again makes a new publisher connection (new credentials of ours), and the tracks come back.
        String second = publish(speaker, OFFER);
        assertNotEquals(ufrag(firstAnswer), ufrag(second));
        assertEquals(0, peer(CLIENT_UFRAG).towards(second).check());
        listener.answer(emptied, "lstn");
        listener.await("trackPublished");
        listener.await("trackPublished");
        assertEquals(List.of(Direction.SENDONLY), directions(listener.await("subscribeOffer").path("sdp").asText(), "video"));
    }

    @Test
    void aClosedSubscriberConnectionIsReplacedWithEveryTrackOnANewOne() throws Exception {
        start(Duration.ofMillis(800));
        TestClient speaker = join("speaker", PublishPolicy.EVERYTHING);
        peer(CLIENT_UFRAG).towards(publish(speaker, OFFER)).keepAlive();
        TestClient listener = join("listener", PublishPolicy.NOTHING);
        ObjectNode first = listener.await("subscribeOffer");
        String firstSdp = listener.answer(first, "lstn");
        assertEquals(0, peer("lstn").towards(firstSdp).check()); // connects, then goes silent

        ObjectNode closed = listener.await("transportClosed");
        assertEquals("subscriber", closed.path("connection").asText());
        ObjectNode replacement = listener.await("subscribeOffer");
        List<String> types = new ArrayList<>(listener.types());
        types.removeIf("stageSlots"::equals); // whom the slots carry: sent whenever it changes
        assertEquals(types.indexOf("transportClosed") + 1, types.lastIndexOf("subscribeOffer"),
                "the new offer follows the notice: " + types);
        assertTrue(replacement.path("newConnection").asBoolean(), "the offer must say it is for a new connection");
        assertEquals(first.path("version").asLong() + 1, replacement.path("version").asLong());
        String sdp = replacement.path("sdp").asText();
        assertNotEquals(ufrag(firstSdp), ufrag(sdp), "a new connection has new ICE credentials");
        assertEquals(List.of(Direction.SENDONLY, Direction.SENDONLY, Direction.SENDONLY, Direction.SENDONLY), directions(sdp));
        assertEquals(msids(firstSdp), msids(sdp), "every track and every audio slot, on fresh m-sections");
        assertStillIn(listener);
        assertStillIn(speaker);

        listener.answer(first, "lstn"); // late, for the closed connection: ignored, not an error
        listener.answer(replacement, "lst2");
        assertEquals(0, peer("lst2").towards(sdp).check());
        assertStillIn(listener);
        assertEquals(1, listener.count("transportClosed"));
    }

    private static List<String> msids(String sdp) throws Exception {
        List<String> out = new ArrayList<>();
        for (MediaDescription m : SdpParser.parse(sdp).media()) out.add(m.attribute("msid").orElse(""));
        return out;
    }

    @Test
    void aPublisherIceRestartWithNewClientCredentialsAnswersOnlyTheNewOnes() throws Exception {
        start(Duration.ofSeconds(30));
        TestClient speaker = join("speaker", PublishPolicy.EVERYTHING);
        String first = publish(speaker, OFFER);
        IcePeer before = peer(CLIENT_UFRAG).towards(first);
        assertEquals(0, before.check());

        String restart = OFFER.replace("a=ice-ufrag:Xq7v", "a=ice-ufrag:Rs9w")
                .replace("a=ice-pwd:kP3rZ9wq1YbLm2Tn8cVd5Hs0", "a=ice-pwd:Zz1y2x3w4v5u6t7s8r9q0p1o");
        String second = publish(speaker, restart);
        assertNotEquals(ufrag(first), ufrag(second), "an ICE restart gets new server credentials");
        IcePeer after = peer("Rs9w").towards(second);
        assertEquals(0, after.check(), "the new credentials are answered");
        assertTrue(before.unansweredBefore(after), "the old ones are not: a check with an unknown username goes unanswered");
        assertEquals(0, speaker.count("trackUnpublished") + speaker.count("transportClosed"));
        assertEquals(2, room.tracks().size(), "the same tracks, still published");
    }

    @Test
    void restartingSubscriberIceSendsAFreshOfferAtOnceSupersedingAPendingOne() throws Exception {
        start(Duration.ofSeconds(30));
        TestClient speaker = join("speaker", PublishPolicy.EVERYTHING);
        publish(speaker, OFFER);
        TestClient listener = join("listener", PublishPolicy.NOTHING);
        ObjectNode first = listener.await("subscribeOffer");
        String firstSdp = first.path("sdp").asText();
        assertEquals(0, peer("lstn").towards(firstSdp).check());

        // The first offer is still unanswered (perhaps lost with a dropped socket): the restart does not wait for it.
        listener.media.restartSubscriberIce();
        ObjectNode second = listener.await("subscribeOffer");
        String secondSdp = second.path("sdp").asText();
        assertEquals(first.path("version").asLong() + 1, second.path("version").asLong());
        listener.answer(first, "lstn"); // the superseded offer's answer, if it comes, is ignored: no error
        assertEquals(0, listener.count("error"));
        assertNotEquals(ufrag(firstSdp), ufrag(secondSdp), "new ICE credentials");
        assertFalse(second.has("newConnection"), "the same connection, restarted");
        assertEquals(msids(firstSdp), msids(secondSdp), "no track changed");
        IcePeer current = peer("lstn").towards(secondSdp);
        assertTrue(peer("lstn").towards(firstSdp).unansweredBefore(current), "the old credentials are gone: unanswered");
        assertEquals(0, peer("lstn").towards(secondSdp).check());

        listener.answer(second, "lstn");
        listener.media.restartSubscriberIce(); // nothing pending: at once
        ObjectNode third = listener.await("subscribeOffer");
        assertNotEquals(ufrag(secondSdp), ufrag(third.path("sdp").asText()));
        assertEquals(second.path("version").asLong() + 1, third.path("version").asLong());
    }

    @Test
    void aReboundSessionSendsToItsNewOutbox() throws Exception {
        start(Duration.ofSeconds(30));
        TestClient listener = join("listener", PublishPolicy.NOTHING);
        ObjectNode slots = listener.await("subscribeOffer");
        TestClient resumed = new TestClient("listener-again");
        resumed.media = listener.media;
        listener.media.rebind(resumed.outbox);
        TestClient speaker = join("speaker", PublishPolicy.EVERYTHING);
        publish(speaker, OFFER);
        resumed.await("trackPublished");
        resumed.await("stageSlots"); // the speaker took a slot
        resumed.answer(slots, "lstn");
        resumed.await("subscribeOffer"); // the speaker's camera
        assertEquals(List.of("subscribeOffer"), listener.types(), "the old socket gets nothing after the rebind");
    }

    @Test
    void aDemotedPersonIsSentNothingThatCouldOvertakeTheirRoleChange() throws Exception {
        start(Duration.ofSeconds(30));
        TestClient speaker = join("speaker", PublishPolicy.EVERYTHING);
        publish(speaker, OFFER);
        TestClient listener = join("listener", PublishPolicy.NOTHING);
        listener.await("subscribeOffer");
        int before = speaker.all().size();

        speaker.outbox.send(Messages.text(frame("roomEvents", "note", "roleChanged")));
        speaker.media.setPolicy(PublishPolicy.NOTHING, true);
        speaker.outbox.send(Messages.text(frame("marker", "note", "after setPolicy")));
        speaker.await("marker");
        List<String> after = new ArrayList<>(speaker.types().subList(before, speaker.all().size()));
        after.removeIf("stageSlots"::equals); // whom the slots carry, for their audio in the audience
        assertEquals(List.of("roomEvents", "subscribeOffer", "marker"), after,
                "setPolicy sent the demoted person something other than their audience slots, after the role change");
        listener.await("trackUnpublished");
        listener.await("trackUnpublished");
        assertEquals(0, room.tracks().size());
    }

    @Test
    void aFullMediaQueueAnswersMediaBusyAndCountsIt() throws Exception {
        start(Duration.ofSeconds(30), 64);
        TestClient speaker = join("speaker", PublishPolicy.EVERYTHING);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        media.loop().execute(() -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(held.await(2, TimeUnit.SECONDS));
        while (media.loop().remainingCapacity() > 0) media.loop().execute(() -> { });
        try {
            SignalingException e = assertThrows(SignalingException.class,
                    () -> speaker.media.handle("publish", frame("publish", "sdp", OFFER), null));
            assertEquals("media_busy", e.code());
            assertEquals(1, media.counters().controlRefused());
            assertThrows(MediaBusyException.class, () -> join("late", PublishPolicy.NOTHING));
            assertEquals(2, media.counters().controlRefused());
            assertEquals(1, room.size(), "a refused join leaves nobody behind");
            assertEquals(0, room.tracks().size(), "a refused publish changed nothing");
        } finally {
            release.countDown();
        }
        media.loop().submit(() -> null).get(2, TimeUnit.SECONDS); // waits its turn behind the queue: drained
        publish(speaker, OFFER); // the same request goes through now
        assertEquals(2, room.tracks().size());
    }

    private static String fixture(String name) {
        try (InputStream in = ConferenceLifecycleTest.class.getResourceAsStream("/sdp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
