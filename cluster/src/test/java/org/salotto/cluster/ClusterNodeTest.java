package org.salotto.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes in one JVM on the real Redis, with a short lease (900 ms: renewed every 300 ms): registration, a node's
 * loss when it stops renewing, placement by load with two random choices, racing placements, re-placement after the
 * owner is lost, and a room-wide counter across the nodes.
 */
class ClusterNodeTest {
    static final Duration LEASE = Duration.ofMillis(900);
    /** How long a lost node may take to be noticed: its lease, then at most one renewal period, and slack for CI. */
    static final Duration NOTICED = LEASE.plus(LEASE.dividedBy(3)).plusSeconds(2);

    private RedisKeys redis;
    private final List<ClusterNode> nodes = new ArrayList<>();
    private final Map<String, AtomicReference<Load>> loads = new HashMap<>();
    /** Each node's renewals, to wait for the cluster by what its lease threads do. */
    private final Map<ClusterNode, RenewalWatch> watches = new HashMap<>();

    @BeforeEach
    void redis() {
        redis = new RedisKeys();
    }

    @AfterEach
    void cleanUp() {
        for (ClusterNode n : nodes) n.close();
        redis.close();
    }

    private ClusterNode node(String id) {
        return node(id, 1);
    }

    private ClusterNode node(String id, long seed) {
        AtomicReference<Load> load = new AtomicReference<>(Load.IDLE);
        loads.put(id, load);
        ClusterNode n = ClusterNode.start(redis.config(LEASE), id, "http://" + id + ".test:8080", id + ".test:50000",
                load::get, new java.util.SplittableRandom(seed));
        nodes.add(n);
        RenewalWatch watch = new RenewalWatch();
        n.addListener(watch);
        watches.put(n, watch);
        return n;
    }

    private RenewalWatch watch(ClusterNode n) {
        return watches.get(n);
    }

    private static Set<String> ids(List<Node> nodes) {
        Set<String> ids = new java.util.TreeSet<>();
        for (Node n : nodes) ids.add(n.id());
        return ids;
    }

    @Test
    void threeNodesSeeOneAnotherAndAnAbandonedOneIsLostWithinItsLease() throws Exception {
        ClusterNode a = node("a");
        ClusterNode b = node("b");
        ClusterNode c = node("c");
        for (ClusterNode n : List.of(a, b, c)) assertEquals(Set.of("a", "b", "c"), ids(n.nodes()));
        Node seen = a.nodes().stream().filter(n -> n.id().equals("b")).findFirst().orElseThrow();
        assertEquals("http://b.test:8080", seen.httpUrl());
        assertEquals("b.test:50000", seen.mediaAddress());
        assertFalse(seen.draining());

        CountDownLatch lost = new CountDownLatch(1);
        List<String> lostIds = new java.util.concurrent.CopyOnWriteArrayList<>();
        a.addListener(new ClusterListener() {
            @Override
            public void nodeLost(Node node) {
                lostIds.add(node.id());
                lost.countDown();
            }
        });
        long abandoned = System.nanoTime();
        c.abandon();
        // Killed: nothing deregistered it; the lease alone takes it out of the list, then the listener hears of it.
        watch(b).awaitUntil("c gone from the list", LEASE.plusSeconds(2), () -> !ids(b.nodes()).contains("c"));
        long goneMs = (System.nanoTime() - abandoned) / 1_000_000;
        assertTrue(lost.await(NOTICED.toMillis(), TimeUnit.MILLISECONDS), "a is told c was lost");
        long toldMs = (System.nanoTime() - abandoned) / 1_000_000;
        assertEquals(List.of("c"), lostIds);
        assertTrue(goneMs <= LEASE.toMillis() + 1500, "gone from the list " + goneMs + " ms after it stopped");
        System.out.printf("node lost: out of the list after %d ms, listener told after %d ms (lease %d ms)%n",
                goneMs, toldMs, LEASE.toMillis());

        // The two left keep renewing: over five leases (fifteen of a's renewals) neither drops out of the list.
        watch(a).awaitRenewals(15, LEASE.multipliedBy(5).plus(NOTICED),
                () -> assertEquals(Set.of("a", "b"), ids(watch(a).live())));
        assertEquals(List.of("c"), lostIds, "nobody else was lost");
    }

    @Test
    void aNodeThatLeavesIsGoneAtOnceAndANewOneIsTold() throws Exception {
        ClusterNode a = node("a");
        ClusterNode b = node("b");
        CountDownLatch appeared = new CountDownLatch(1);
        CountDownLatch lost = new CountDownLatch(1);
        a.addListener(new ClusterListener() {
            @Override
            public void nodeAppeared(Node node) {
                if (node.id().equals("c")) appeared.countDown();
            }

            @Override
            public void nodeLost(Node node) {
                if (node.id().equals("b")) lost.countDown();
            }
        });
        node("c");
        assertTrue(appeared.await(NOTICED.toMillis(), TimeUnit.MILLISECONDS), "a is told c appeared");
        b.close();
        assertEquals(Set.of("a", "c"), ids(a.nodes()), "a closed node deregisters: gone without waiting for its lease");
        assertTrue(lost.await(NOTICED.toMillis(), TimeUnit.MILLISECONDS), "a is told b left");
    }

    @Test
    void roomsArePlacedOnTheLighterOfTwoRandomNodesAndNeverOnADrainingOne() throws Exception {
        ClusterNode light = node("light", 42);
        node("middle");
        node("heavy");
        loads.get("light").set(new Load(10, 1, 0.1));
        loads.get("middle").set(new Load(100, 4, 0.3));
        loads.get("heavy").set(new Load(200, 8, 0.5));
        watch(light).awaitUntil("the loads renewed", NOTICED, () -> light.nodes().stream()
                .allMatch(n -> n.load().participants() > 0));

        Map<String, AtomicInteger> placed = new HashMap<>();
        for (int i = 0; i < 90; i++) {
            String owner = light.placement().place("room-" + i).orElseThrow().id();
            placed.computeIfAbsent(owner, k -> new AtomicInteger()).incrementAndGet();
        }
        System.out.println("90 rooms placed by two random choices: " + placed);
        // The heaviest loses every pair it is drawn in; the lightest wins every pair it is in (2 of 3 pairs).
        assertEquals(null, placed.get("heavy"), "the heaviest node gets nothing");
        assertTrue(placed.get("light").get() > placed.get("middle").get(), "the lightest gets the most: " + placed);
        assertTrue(placed.get("middle").get() > 0, "two choices spread: the middle one gets some too: " + placed);
        assertEquals(placed.get("light").get(), light.placement().owned().size(), "the asker owns what it placed on itself");

        // A busy CPU outweighs fewer participants.
        loads.get("light").set(new Load(10, 1, 0.95));
        watch(light).awaitUntil("light's CPU renewed", NOTICED, () -> light.nodes().stream()
                .anyMatch(n -> n.id().equals("light") && n.load().busy()));
        for (int i = 0; i < 30; i++) {
            assertFalse(light.placement().place("busy-" + i).orElseThrow().id().equals("light"), "a busy node takes no new room");
        }

        // Draining: no new room, but its rooms stay its own.
        ClusterNode middle = nodes.get(1);
        middle.drain();
        String kept = placed.containsKey("middle") ? ownedBy(middle) : null;
        for (int i = 0; i < 30; i++) {
            assertFalse(light.placement().place("drain-" + i).orElseThrow().id().equals("middle"), "a draining node takes no new room");
        }
        if (kept != null) assertEquals("middle", light.placement().owner(kept).orElseThrow().id(), "a draining node keeps its rooms");
    }

    private static String ownedBy(ClusterNode n) {
        return n.placement().owned().stream().findFirst().orElse(null);
    }

    @Test
    void nodesPlacingOneRoomAtOnceAllGetTheSameOwner() throws Exception {
        List<ClusterNode> three = List.of(node("a", 1), node("b", 2), node("c", 3));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int room = 0; room < 40; room++) {
                String id = "race-" + room;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> answers = new ArrayList<>();
                for (ClusterNode n : three) {
                    for (int k = 0; k < 2; k++) {
                        answers.add(pool.submit(() -> {
                            go.await();
                            return n.placement().place(id).orElseThrow().id();
                        }));
                    }
                }
                go.countDown();
                Set<String> owners = new java.util.HashSet<>();
                for (Future<String> f : answers) owners.add(f.get(10, TimeUnit.SECONDS));
                assertEquals(1, owners.size(), id + " got one owner, not " + owners);
                String owner = owners.iterator().next();
                assertEquals(owner, three.getFirst().placement().owner(id).orElseThrow().id());
                for (ClusterNode n : three) assertEquals(n.id().equals(owner), n.placement().owned().contains(id));
            }
        }
    }

    @Test
    void theOwnerRenewsItsRoomsAndALostOwnersRoomIsPlacedAgain() throws Exception {
        ClusterNode a = node("a");
        ClusterNode b = node("b");
        // Only b takes new rooms while a drains, so that b owns the room.
        a.drain();
        assertEquals("b", b.placement().place("r1").orElseThrow().id());
        assertEquals(Set.of("r1"), b.placement().owned());
        // Past three leases (nine of b's renewals) the room is still b's: its owner renews it.
        watch(b).awaitRenewals(9, LEASE.multipliedBy(3).plus(NOTICED),
                () -> assertEquals("b", a.placement().owner("r1").orElseThrow().id()));
        ClusterNode c = node("c");
        b.abandon();
        watch(a).awaitUntil("b's room without a live owner", NOTICED, () -> a.placement().owner("r1").isEmpty());
        // The next node that asks places it again: on c (a drains).
        assertEquals("c", a.placement().place("r1").orElseThrow().id());
        assertEquals("c", c.placement().place("r1").orElseThrow().id());
        assertEquals(Set.of("r1"), c.placement().owned());
    }

    @Test
    void anOwnerWhoseRoomWasTakenIsToldAndStopsRenewingIt() throws Exception {
        ClusterNode a = node("a");
        ClusterNode b = node("b");
        b.drain();
        assertEquals("a", a.placement().place("r").orElseThrow().id());
        CountDownLatch lost = new CountDownLatch(1);
        a.addListener(new ClusterListener() {
            @Override
            public void roomLost(String roomId) {
                if (roomId.equals("r")) lost.countDown();
            }
        });
        // As if a's lease had lapsed and b had placed the room meanwhile.
        redis.redis().set(redis.prefix + "room:r:owner", "b");
        assertTrue(lost.await(NOTICED.toMillis(), TimeUnit.MILLISECONDS), "a hears the room is no longer its own");
        assertEquals(Set.of(), a.placement().owned());
        assertEquals("b", redis.redis().get(redis.prefix + "room:r:owner"), "a did not take it back");
    }

    @Test
    void aRoomWideCounterHoldsItsLimitAcrossNodesAndForgetsALostNodesPeople() throws Exception {
        List<ClusterNode> three = List.of(node("a"), node("b"), node("c"));
        int limit = 50;
        AtomicInteger admitted = new AtomicInteger();
        Map<String, AtomicInteger> perNode = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> all = new ArrayList<>();
            for (ClusterNode n : three) {
                for (int i = 0; i < 30; i++) {
                    all.add(pool.submit(() -> {
                        go.await();
                        if (n.counters().admit("call", "people", limit)) {
                            admitted.incrementAndGet();
                            perNode.computeIfAbsent(n.id(), k -> new AtomicInteger()).incrementAndGet();
                        }
                        return null;
                    }));
                }
            }
            go.countDown();
            for (Future<?> f : all) f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(limit, admitted.get(), "90 asked at once on three nodes: exactly the limit admitted");
        assertEquals(limit, three.getFirst().counters().count("call", "people"));
        for (ClusterNode n : three) {
            assertEquals(perNode.getOrDefault(n.id(), new AtomicInteger()).get(), n.counters().held("call", "people"));
        }
        assertFalse(three.get(1).counters().admit("call", "people", limit), "full");

        ClusterNode a = three.get(0);
        a.counters().release("call", "people");
        assertEquals(limit - 1, a.counters().count("call", "people"));
        assertTrue(three.get(1).counters().admit("call", "people", limit), "a released place is taken on another node");

        // The count outlives many leases while its nodes renew: three leases of each node's renewals.
        for (ClusterNode n : three) {
            watch(n).awaitRenewals(9, LEASE.multipliedBy(3).plus(NOTICED),
                    () -> assertEquals(limit, a.counters().count("call", "people"), "the counts are renewed with the leases"));
        }

        ClusterNode c = three.get(2);
        int cHeld = c.counters().held("call", "people");
        assertTrue(cHeld > 0, "c admitted some");
        c.abandon();
        watch(a).awaitUntil("c's people no longer counted", NOTICED,
                () -> a.counters().count("call", "people") == limit - cHeld);
        for (int i = 0; i < cHeld; i++) assertTrue(a.counters().admit("call", "people", limit), "c's places are free again");
        assertFalse(a.counters().admit("call", "people", limit));
    }
}
