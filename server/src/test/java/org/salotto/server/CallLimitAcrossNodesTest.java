package org.salotto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.salotto.cluster.ClusterConfig;
import org.salotto.cluster.ClusterNode;
import org.salotto.cluster.RenewalWatch;
import org.salotto.rooms.RoomsConfig;

/**
 * A call on two nodes keeps its limit of 50 (issue 16): with the default limit, 50 people joining through two nodes
 * by turns are all let in, and the 51st is refused {@code room_full} through either node. Signaling only: each person
 * is a WebSocket that joins, no media.
 */
class CallLimitAcrossNodesTest {
    static final Duration LEASE = ClusterNodeServerTest.LEASE;

    @Test
    @Timeout(120)
    void fiftyJoinThroughTwoNodesAndTheFiftyFirstIsRefusedThroughEither() throws Exception {
        int limit = RoomsConfig.defaults().callMaxPeople();
        assertEquals(50, limit, "the default call limit");
        String prefix = "salotto-test:" + ProcessHandle.current().pid() + ":" + System.nanoTime() + ":";
        ClusterConfig cluster = ClusterConfig.on(ClusterNodeServerTest.REDIS).withKeyPrefix(prefix).withNodeLease(LEASE);
        List<RoomClient> clients = new ArrayList<>();
        ServerFixture first = ServerFixture.postgres(c -> c.withCluster(cluster).withRooms(ServerFixture.testRooms()));
        SalottoServer second = null;
        try {
            second = SalottoServer.start(first.config.withPorts(0, 0));
            List<SalottoServer> nodes = List.of(first.server, second);
            Person host = Person.account(first.server.baseUrl(), ServerFixture.uniqueName("host"));
            String room = host.createRoom("call", Map.of());

            for (int i = 0; i < limit; i++) {
                SalottoServer via = nodes.get(i % 2);
                RoomClient c = ClusterRoutingTest.join(Person.guest(via.baseUrl(), "p" + i), room, via, clients);
                assertTrue(c.participantId != null && !c.participantId.isEmpty());
            }
            String ownerId = first.server.cluster().orElseThrow().placement().owner(room).orElseThrow().id();
            SalottoServer owner = nodes.stream().filter(n -> n.cluster().orElseThrow().id().equals(ownerId)).findFirst()
                    .orElseThrow();
            assertEquals(limit, owner.rooms().runtime().get(room).people(), "everyone in, on the owner");
            ClusterNode counting = second.cluster().orElseThrow();
            RenewalWatch renewals = new RenewalWatch();
            counting.addListener(renewals);
            renewals.awaitUntil("a count of " + limit, LEASE.multipliedBy(2).plusSeconds(2),
                    () -> counting.counters().count(room, ClusterRooms.PEOPLE) == limit);

            // The 51st, through either node: refused as the call is full.
            for (SalottoServer via : nodes) {
                Person late = Person.guest(via.baseUrl(), "late");
                AssertionError refused = assertThrows(AssertionError.class,
                        () -> ClusterRoutingTest.join(late, room, via, clients));
                assertTrue(refused.getMessage().contains("room_full"), refused.getMessage());
            }
            assertEquals(limit, owner.rooms().runtime().get(room).people(), "still 50");
        } finally {
            clients.forEach(RoomClient::close);
            if (second != null) second.close();
            first.close();
            ClusterNodeServerTest.deleteKeys(prefix);
        }
    }
}
