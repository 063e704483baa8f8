package org.salotto.rooms.people;

import java.time.Instant;

/** One entry of the admin action log, never changed: who did what, about which report, room or account. */
public record AdminAction(long id, Long adminId, Action action, Long reportId, String roomId, Long accountId,
                          String detail, Instant at) {

    public enum Action { DISMISS, END_ROOM, SUSPEND, RESTORE }
}
