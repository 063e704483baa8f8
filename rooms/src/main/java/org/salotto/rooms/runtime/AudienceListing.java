package org.salotto.rooms.runtime;

import java.util.HashSet;
import java.util.Set;
import org.salotto.rooms.Role;
import org.salotto.rooms.domain.MemberView;
import org.salotto.rooms.domain.RoomEvent;

/**
 * "Livestream mode" (docs/protocol.md "A large audience"): a space's or a live's audience is listed to everyone while
 * it is small, and counted, not listed, past {@code rooms.listed-audience}. The first listeners or viewers in are
 * listed (as anyone else); those who come after them are unlisted: their coming and going, hands, reactions and
 * answers go to themselves and to the room's managers (host, co-hosts, a live's moderator) alone, and everyone gets
 * the audience's size in {@code audienceChanged}. Without it, each listener's join would be a frame to every other
 * listener: n joins cost n² frames, 10 billion for a space of 100,000.
 *
 * <p>Once listed, listed until gone: nobody's list loses someone who is still there. An unlisted listener brought on
 * stage is listed from then on (the others meet them with a {@code memberJoined}). Calls list everyone. The room's
 * executor only.
 */
final class AudienceListing {
    private final int listedMax;
    private final Set<String> listed = new HashSet<>();
    private final Set<String> unlisted = new HashSet<>();

    AudienceListing(int listedMax) {
        this.listedMax = listedMax;
    }

    /** Whether the role sees the whole audience: who manages the room. */
    static boolean manages(Role role) {
        return role == Role.HOST || role == Role.CO_HOST || role == Role.MODERATOR;
    }

    boolean isUnlisted(String participantId) {
        return unlisted.contains(participantId);
    }

    /** The unlisted members, for a snapshot of someone who does not manage the room. */
    Set<String> unlisted() {
        return unlisted;
    }

    /**
     * Takes the event into account and says whom it concerns if that is an unlisted member (it then goes to them
     * and the managers alone), or null (it goes to everyone). A member coming in is listed or not here.
     */
    String unlistedSubject(RoomEvent event, boolean stageRoom) {
        return switch (event) {
            case RoomEvent.MemberJoined e -> joined(e.member(), stageRoom);
            case RoomEvent.MemberLeft e -> {
                listed.remove(e.participantId());
                yield unlisted.remove(e.participantId()) ? e.participantId() : null;
            }
            case RoomEvent.RoleChanged e -> {
                if (unlisted.contains(e.participantId())) yield e.to() == Role.AUDIENCE ? e.participantId() : null;
                // Someone everyone knows: listed while in the audience, not counted among the listed once on stage.
                if (e.to() == Role.AUDIENCE) listed.add(e.participantId());
                else listed.remove(e.participantId());
                yield null;
            }
            case RoomEvent.HandRaised e -> subject(e.participantId());
            case RoomEvent.HandLowered e -> subject(e.participantId());
            case RoomEvent.InvitationDeclined e -> subject(e.participantId());
            case RoomEvent.Reacted e -> subject(e.participantId());
            case RoomEvent.MemberCommentsChanged e -> subject(e.participantId());
            default -> null;
        };
    }

    /**
     * An unlisted member given a role off the audience (a speaker, a co-host, a moderator): listed from now on.
     * True if they were unlisted, so that those who did not know them are sent who they are.
     */
    boolean listOnLeavingAudience(RoomEvent.RoleChanged e) {
        return e.to() != Role.AUDIENCE && unlisted.remove(e.participantId());
    }

    private String joined(MemberView m, boolean stageRoom) {
        if (!stageRoom || m.role() != Role.AUDIENCE || m.hidden()) return null;
        if (listed.size() < listedMax) {
            listed.add(m.participantId());
            return null;
        }
        unlisted.add(m.participantId());
        return m.participantId();
    }

    private String subject(String participantId) {
        return unlisted.contains(participantId) ? participantId : null;
    }
}
