package org.salotto.rooms.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salotto.rooms.Role;
import org.salotto.rooms.RoomKind;
import org.salotto.rooms.RoomState;
import org.salotto.rooms.Visibility;
import org.salotto.rooms.store.Account;
import org.salotto.rooms.store.CommentReport;
import org.salotto.rooms.store.CommentWrites;
import org.salotto.rooms.store.ModerationAction;
import org.salotto.rooms.store.ModerationAction.Action;
import org.salotto.rooms.store.OutboxEvent;
import org.salotto.rooms.store.Room;
import org.salotto.rooms.store.StoreException;
import org.salotto.rooms.store.StoredComment;
import org.salotto.rooms.store.StoredCommentState;
import org.salotto.rooms.store.UnitOfWork;

/**
 * A live's comments, comment settings, moderation review and reports in the database, and a live's backstage flag:
 * the same tests on every database under {@link JdbcStore} (H2 and PostgreSQL subclasses).
 */
abstract class CommentStoreContract {
    static final Instant T0 = Instant.parse("2026-12-01T18:00:00.123456Z");

    JdbcStore store;
    private Room live;
    private long seq;

    abstract DatabaseConfig freshDatabase() throws Exception;

    abstract void dropDatabase() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = JdbcStore.open(freshDatabase());
        Account host = store.createAccount("host", "The host", "$argon2id$fake", T0);
        live = new Room("r-live", host.id(), RoomKind.LIVE, "Friday live", "just_chatting", Visibility.PUBLIC, null,
                RoomState.OPEN, false, false, T0, null);
        store.createRoom(live);
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) store.close();
        dropDatabase();
    }

    private StoredComment comment(String id, String identity, String name, String text, int badge) {
        return new StoredComment("r-live", ++seq, id, "p-" + identity, identity, name, text, T0.plusSeconds(seq), badge,
                false, null, null);
    }

    /** One decision: its outbox events (one per entry, as the runtime writes them) and its comment writes. */
    private void commit(CommentWrites w, long... eventSeqs) {
        List<OutboxEvent> events = new ArrayList<>();
        for (long s : eventSeqs) events.add(new OutboxEvent("r-live", s, "x", "{}", T0));
        store.commit(new UnitOfWork("r-live", null, null, List.of(), List.of(), List.of(), List.of(), List.of(), events, w, List.of()));
    }

    private static CommentWrites posted(StoredComment... comments) {
        return new CommentWrites(List.of(comments), List.of(), null, List.of(), List.of(), List.of());
    }

    private static List<String> ids(List<StoredComment> list) {
        return list.stream().map(StoredComment::id).toList();
    }

    private ModerationAction action(Action a, String actor, String target, String commentId, String detail) {
        return new ModerationAction("r-live", ++seq, T0, actor, "name of " + actor, a, target, null, commentId, detail, null);
    }

    @Test
    void commentsReadBackOldestFirstAPageAtATime() {
        StoredComment first = comment("c1", "g:ann", "Ann", "Café ☕ 👩‍💻 first", 0);
        commit(posted(first), first.seq());
        List<StoredComment> more = new ArrayList<>();
        for (int i = 2; i <= 6; i++) more.add(comment("c" + i, "g:bob", "Bob", "n" + i, 3));
        commit(posted(more.toArray(StoredComment[]::new)), 2, 3, 4, 5, 6);

        assertEquals(List.of("c4", "c5", "c6"), ids(store.comments("r-live", null, 3, false)));
        assertEquals(List.of("c2", "c3"), ids(store.comments("r-live", "c4", 2, false)));
        assertEquals(List.of("c1", "c2", "c3"), ids(store.comments("r-live", "c4", 50, false)));
        assertTrue(store.comments("r-live", "c-unknown", 50, false).isEmpty());
        StoredComment back = store.comment("r-live", "c1").orElseThrow();
        assertEquals("Café ☕ 👩‍💻 first", back.text());
        assertEquals("p-g:ann", back.participantId());
        assertEquals(T0.plusSeconds(1).truncatedTo(ChronoUnit.MICROS), back.at());
        assertEquals(3, store.comment("r-live", "c6").orElseThrow().badge());
        assertTrue(store.comment("r-other", "c1").isEmpty());
    }

    @Test
    void hiddenCommentsAreLeftOutUnlessAskedForAndTheFirstHidingStays() {
        StoredComment a = comment("ca", "g:ann", "Ann", "fine", 0);
        StoredComment b = comment("cb", "g:bob", "Bob", "spam", 0);
        commit(posted(a, b), a.seq(), b.seq());
        commit(new CommentWrites(List.of(), List.of(new CommentWrites.Hide("cb", "a:1", T0)), null, List.of(), List.of(), List.of()));
        commit(new CommentWrites(List.of(), List.of(new CommentWrites.Hide("cb", "a:2", T0.plusSeconds(9))), null, List.of(),
                List.of(), List.of()));
        assertEquals(List.of("ca"), ids(store.comments("r-live", null, 50, false)));
        List<StoredComment> all = store.comments("r-live", null, 50, true);
        assertEquals(List.of("ca", "cb"), ids(all));
        assertTrue(all.get(1).hidden());
        assertEquals("a:1", all.get(1).hiddenBy());
        assertFalse(all.get(0).hidden());
    }

    @Test
    void aLiveOpeningAgainFindsItsRecentCommentsItsPinAndWhoseCommentsAreOff() {
        StoredComment a = comment("ca", "g:ann", "Ann", "one", 0);
        StoredComment b = comment("cb", "g:bob", "Bob", "two", 1);
        StoredComment c = comment("cc", "g:cid", "Cid", "three", 2);
        commit(posted(a, b, c), a.seq(), b.seq(), c.seq());
        commit(new CommentWrites(List.of(), List.of(), new CommentWrites.Settings(true, "cb"),
                List.of(new CommentWrites.MemberSetting("g:ann", true, T0), new CommentWrites.MemberSetting("g:cid", true, T0)),
                List.of(), List.of()));
        commit(new CommentWrites(List.of(), List.of(), null, List.of(new CommentWrites.MemberSetting("g:cid", false, T0),
                new CommentWrites.MemberSetting("g:ann", true, T0)), List.of(), List.of()));

        StoredCommentState s = store.commentState("r-live", 2);
        assertEquals(List.of("cb", "cc"), ids(s.recent()));
        assertEquals("cb", s.pinned().id());
        assertTrue(s.commentsOff());
        assertEquals(List.of("g:ann"), s.offFor());

        // A pinned comment that was hidden comes back unpinned.
        commit(new CommentWrites(List.of(), List.of(new CommentWrites.Hide("cb", "a:1", T0)), null, List.of(), List.of(), List.of()));
        StoredCommentState after = store.commentState("r-live", 50);
        assertNull(after.pinned());
        assertEquals(List.of("ca", "cc"), ids(after.recent()));
        StoredCommentState none = store.commentState("r-nothing", 50);
        assertTrue(none.recent().isEmpty());
        assertFalse(none.commentsOff());
    }

    @Test
    void theModerationReviewListsEveryActionInOrderWithWhatItConcerns() {
        StoredComment spam = comment("cs", "g:bob", "Bob", "buy my stuff", 0);
        commit(posted(spam), spam.seq());
        store.recordMembership("r-live", "g:eve", "Eve", Role.AUDIENCE, T0);
        ModerationAction report = action(Action.REPORT, "g:ann", null, "cs", "spam");
        ModerationAction hide = action(Action.HIDE, "a:2", null, "cs", null);
        ModerationAction remove = action(Action.REMOVE, "a:2", "g:eve", null, null);
        CommentReport r = new CommentReport("r-live", "cs", "g:ann", "Ann", "spam", T0);
        commit(new CommentWrites(List.of(), List.of(), null, List.of(), List.of(report), List.of(r)), report.seq());
        commit(new CommentWrites(List.of(), List.of(), null, List.of(), List.of(hide, remove), List.of()), hide.seq(), remove.seq());
        // The same person reporting again keeps one report.
        commit(new CommentWrites(List.of(), List.of(), null, List.of(), List.of(), List.of(r)));

        List<ModerationAction> review = store.moderationActions("r-live", 100);
        assertEquals(List.of(Action.REPORT, Action.HIDE, Action.REMOVE), review.stream().map(ModerationAction::action).toList());
        ModerationAction h = review.get(1);
        assertEquals("name of a:2", h.actorName());
        assertEquals("g:bob", h.targetIdentity(), "a hidden comment's writer");
        assertEquals("Bob", h.targetName());
        assertEquals("buy my stuff", h.commentText());
        assertEquals("Eve", review.get(2).targetName(), "a removed viewer's name from their membership");
        assertEquals("spam", review.get(0).detail());
        assertEquals(List.of(Action.HIDE, Action.REMOVE), store.moderationActions("r-live", 2).stream()
                .map(ModerationAction::action).toList(), "the last ones");
        assertTrue(store.reported("r-live", "cs", "g:ann"));
        assertFalse(store.reported("r-live", "cs", "g:bob"));
    }

    @Test
    void aDecisionThatFailsWritesNoneOfItsComments() {
        StoredComment a = comment("ca", "g:ann", "Ann", "one", 0);
        // Its outbox event repeats a sequence number: the whole decision is refused, the comment with it.
        assertThrows(StoreException.class, () -> commit(posted(a), 1, 1));
        assertTrue(store.comment("r-live", "ca").isEmpty());
        assertEquals(0, store.lastEventSeq("r-live"));
    }

    @Test
    void aLiveInItsBackstageKeepsThatUntilItGoesLive() {
        Room practice = new Room("r-back", live.hostAccountId(), RoomKind.LIVE, "Rehearsal", "just_chatting",
                Visibility.PUBLIC, null, RoomState.OPEN, false, false, T0, null, true);
        store.createRoom(practice);
        assertTrue(store.room("r-back").orElseThrow().practice());
        assertFalse(store.room("r-live").orElseThrow().practice());
        store.commit(new UnitOfWork("r-back", practice.withPractice(false), null, List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of()));
        assertFalse(store.room("r-back").orElseThrow().practice());
    }
}
