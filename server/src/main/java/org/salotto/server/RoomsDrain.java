package org.salotto.server;

/**
 * What a draining server needs from the rooms layer (see {@link SalottoServer#drain()}). Kept in the server so that
 * the drain does not depend on how the rooms layer is built inside; {@link RuntimeRoomsDrain} implements it.
 */
interface RoomsDrain {
    /** Tells everyone connected, in every open room: {@code {"type":"serverDraining","message":message}}. */
    void announce(String message);

    /**
     * Ends every open room this server holds: state {@code ended} in the database, {@code roomEnded} with this message
     * to its people, their connections closed. Returns when the rooms are ended in the database.
     */
    void endAll(String message);

    /**
     * With a cluster: refuses joins from now on and moves every open room to another node without ending it, its
     * clients sent there ({@code wrong_node}); returns the rooms moved.
     */
    int moveAll(String message);

    /** People still in rooms on this server. */
    int people();
}
