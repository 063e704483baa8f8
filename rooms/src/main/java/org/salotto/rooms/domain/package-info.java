/**
 * The rules of an open room as a state machine: {@link org.salotto.rooms.domain.Command}s are decided against a
 * {@link org.salotto.rooms.domain.RoomModel} into {@link org.salotto.rooms.domain.RoomEvent}s, and events are the
 * only way the model changes. The rules of each kind of room are a {@link org.salotto.rooms.domain.KindRules}
 * strategy. Nothing here knows JSON, SQL, sockets or media: the runtime ({@code org.salotto.rooms.runtime}) feeds
 * commands in one at a time and hands the events to its adapters. ArchUnit keeps it that way
 * ({@code DomainPurityTest}).
 */
package org.salotto.rooms.domain;
