package org.salotto.rooms.store;

/** What WHIP and WHEP keep (docs/api.md "WHIP and WHEP"): a room's setting for anonymous WHEP viewers. */
public interface WhipStore {

    /** Whether the room lets anyone watch or listen over WHEP without a token; false unless its host said so. */
    boolean anonymousWhep(String roomId);

    /** The host's setting. */
    void setAnonymousWhep(String roomId, boolean anonymous);
}
