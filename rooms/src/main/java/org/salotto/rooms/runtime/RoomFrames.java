package org.salotto.rooms.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import org.salotto.rooms.RoomJson;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.domain.LobbyEntry;
import org.salotto.rooms.domain.MemberView;
import org.salotto.rooms.domain.RoomEvent;
import org.salotto.rooms.store.Room;
import org.salotto.signaling.Messages;

/**
 * The room's events and snapshots as the JSON of docs/protocol.md: the runtime's edge to the wire (and to the event
 * outbox, whose payloads are the same JSON). The domain never sees JSON; only this class and the session write it.
 */
public final class RoomFrames {
    private final String linkPath;

    RoomFrames(String linkPath) {
        this.linkPath = linkPath;
    }

    /** {@code joined} or {@code resumed}: everything a client needs to show the room. */
    String snapshot(String type, String participantId, String role, Room room, List<MemberView> members,
                    JsonNode tracks, Collection<LobbyEntry> lobby, String resumeToken, long resumeGraceMs) {
        ObjectNode n = Messages.message(type);
        n.put("participantId", participantId);
        n.put("role", role);
        n.set("room", roomJson(room));
        ArrayNode list = n.putArray("members");
        for (MemberView m : members) list.add(member(m, room.kind()));
        n.set("tracks", tracks);
        if (lobby != null) n.set("lobby", lobbyJson(lobby));
        n.put("resumeToken", resumeToken);
        n.put("resumeGraceMs", resumeGraceMs);
        return Messages.text(n);
    }

    String waiting(String lobbyId) {
        ObjectNode n = Messages.message("waiting");
        n.put("lobbyId", lobbyId);
        n.put("message", "waiting for the host to let you in");
        return Messages.text(n);
    }

    String admitted() {
        return Messages.text(Messages.message("admitted"));
    }

    String withMessage(String type, String message) {
        ObjectNode n = Messages.message(type);
        n.put("message", message);
        return Messages.text(n);
    }

    String invited(String byName, RoomKind kind) {
        ObjectNode n = Messages.message("invited");
        n.put("by", byName);
        n.put("message", byName + (kind == RoomKind.LIVE ? " invites you to join the stage" : " invites you to speak"));
        return Messages.text(n);
    }

    String lobby(Collection<LobbyEntry> entries) {
        ObjectNode n = Messages.message("lobby");
        n.set("waiting", lobbyJson(entries));
        return Messages.text(n);
    }

    /** The frame of a batch of room events. */
    String roomEvents(List<ObjectNode> events) {
        ObjectNode n = Messages.message("roomEvents");
        n.putArray("events").addAll(events);
        return Messages.text(n);
    }

    /**
     * The event as clients see it in {@code roomEvents}, or null when it is not one of those (some go to one client
     * in a frame of their own, some only to the outbox).
     */
    ObjectNode clientEvent(RoomEvent event, RoomKind kind) {
        return switch (event) {
            case RoomEvent.MemberJoined e -> {
                ObjectNode n = Messages.message("memberJoined");
                n.set("member", member(e.member(), kind));
                yield n;
            }
            case RoomEvent.MemberLeft e -> Messages.message("memberLeft").put("participantId", e.participantId());
            case RoomEvent.RoleChanged e -> Messages.message("roleChanged").put("participantId", e.participantId())
                    .put("role", e.to().apiName(kind));
            case RoomEvent.HandRaised e -> Messages.message("handRaised").put("participantId", e.participantId());
            case RoomEvent.HandLowered e -> {
                ObjectNode n = Messages.message("handLowered").put("participantId", e.participantId());
                if (e.declined()) n.put("declined", true);
                yield n;
            }
            case RoomEvent.InvitationDeclined e -> Messages.message("invitationDeclined").put("participantId", e.participantId());
            case RoomEvent.Reacted e -> Messages.message("reaction").put("participantId", e.participantId()).put("emoji", e.emoji());
            case RoomEvent.LockChanged e -> Messages.message("lockChanged").put("locked", e.locked());
            case RoomEvent.KnockChanged e -> Messages.message("knockChanged").put("knock", e.knock());
            case RoomEvent.RoomChanged e -> {
                ObjectNode n = Messages.message("roomChanged");
                n.set("room", roomJson(e.room()));
                yield n;
            }
            default -> null;
        };
    }

    /**
     * The event as the outbox keeps it (for webhooks and notifications), or null for what is not kept: reactions
     * and connection drops are momentary.
     */
    ObjectNode outboxEvent(RoomEvent event, RoomKind kind) {
        ObjectNode n = switch (event) {
            case RoomEvent.Reacted e -> null;
            case RoomEvent.Disconnected e -> null;
            case RoomEvent.Resumed e -> null;
            case RoomEvent.Replaced e -> null;
            case RoomEvent.MemberLeft e -> Messages.message("memberLeft").put("participantId", e.participantId())
                    .put("identity", e.identity()).put("reason", e.reason());
            case RoomEvent.MemberJoined e -> {
                ObjectNode j = clientEvent(e, kind);
                ((ObjectNode) j.get("member")).put("identity", e.member().identity());
                yield j;
            }
            case RoomEvent.Knocked e -> Messages.message("knocked").put("lobbyId", e.entry().lobbyId())
                    .put("identity", e.entry().identity()).put("name", e.entry().displayName());
            case RoomEvent.LobbyLeft e -> Messages.message("lobbyLeft").put("lobbyId", e.lobbyId());
            case RoomEvent.Denied e -> Messages.message("denied").put("lobbyId", e.entry().lobbyId());
            case RoomEvent.Removed e -> Messages.message("removed").put("participantId", e.participantId())
                    .put("identity", e.identity()).put("by", e.byIdentity());
            case RoomEvent.Blocked e -> Messages.message("blocked").put("byAccountId", e.byAccountId())
                    .put("identity", e.identity());
            case RoomEvent.Invited e -> Messages.message("invited").put("participantId", e.participantId())
                    .put("by", e.byName());
            case RoomEvent.HostGraceStarted e -> Messages.message("hostGraceStarted").put("due", e.due().toString());
            case RoomEvent.HostGraceCancelled e -> Messages.message("hostGraceCancelled");
            case RoomEvent.RoomEnded e -> {
                ObjectNode r = Messages.message("roomEnded").put("message", e.message());
                r.set("room", roomJson(e.room()));
                yield r;
            }
            default -> clientEvent(event, kind);
        };
        return n;
    }

    ObjectNode roomJson(Room room) {
        return RoomJson.room(room, linkPath, -1, -1);
    }

    public static ObjectNode member(MemberView m, RoomKind kind) {
        ObjectNode n = Messages.JSON.createObjectNode();
        n.put("participantId", m.participantId());
        n.put("name", m.displayName());
        n.put("role", m.role().apiName(kind));
        n.put("guest", m.guest());
        if (!m.guest()) n.put("accountId", m.accountId());
        n.put("handRaised", m.handRaised());
        return n;
    }

    public static ArrayNode lobbyJson(Collection<LobbyEntry> entries) {
        ArrayNode a = Messages.JSON.createArrayNode();
        for (LobbyEntry w : entries) {
            ObjectNode n = a.addObject();
            n.put("lobbyId", w.lobbyId());
            n.put("name", w.displayName());
            n.put("guest", w.guest());
            n.put("since", w.since().toString());
        }
        return a;
    }
}
