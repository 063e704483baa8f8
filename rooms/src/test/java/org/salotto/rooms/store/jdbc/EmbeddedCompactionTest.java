package org.salotto.rooms.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salotto.rooms.store.Account;

/**
 * The embedded file stays near its live size while the server runs: with a small growth threshold, writes from
 * several threads at once go on while the file is rewritten under them, none is lost or refused, and the file ends far
 * smaller than the writes alone would have made it; a clean stop rewrites it too, and a copy a crash left half-written
 * is deleted at the next start while the data stays.
 */
class EmbeddedCompactionTest {
    private static final long GROWTH = 512 * 1024;
    private static final int THREADS = 4;
    private static final int WRITES_PER_THREAD = 75;

    @TempDir
    Path dir;

    @Test
    void writesGoOnWhileTheFileIsRewrittenUnderThemAndNoneIsLost() throws Exception {
        DatabaseConfig config = DatabaseConfig.embedded(dir).withCompactGrowth(GROWTH);
        Path file = config.embeddedFile();
        assertEquals(dir.resolve("salotto.mv.db").toAbsolutePath().normalize(), file);
        long beforeStop;
        try (JdbcStore store = JdbcStore.open(config)) {
            long start = Files.size(file);
            List<Future<List<String>>> writers = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    writers.add(pool.submit(() -> {
                        List<String> names = new ArrayList<>();
                        for (int i = 0; i < WRITES_PER_THREAD; i++) {
                            String name = "user_" + thread + "_" + i;
                            store.createAccount(name, name, "hash", Instant.now());
                            names.add(name);
                        }
                        return names;
                    }));
                }
            }
            List<String> written = new ArrayList<>();
            for (Future<List<String>> w : writers) written.addAll(w.get());
            assertEquals(THREADS * WRITES_PER_THREAD, written.size());
            for (String name : written) {
                assertTrue(store.accountByUsername(name).isPresent(), name + " was confirmed and must be there");
            }
            assertTrue(store.compactions() >= 1, "the file grew past " + GROWTH + " bytes: it was compacted while running");
            beforeStop = Files.size(file);
            long grownBy = beforeStop - start;
            System.out.printf("%d writes, %d compactions while running: the file grew by %d KB (threshold %d KB)%n",
                    written.size(), store.compactions(), grownBy >> 10, GROWTH >> 10);
            // 300 writes of about 14 KB each would be over 4 MB without the rewrites.
            assertTrue(grownBy < 3 * GROWTH, "the file grew by " + grownBy + " bytes; the threshold is " + GROWTH);
        }
        assertTrue(Files.size(file) <= beforeStop, "a clean stop rewrites the file to its live size: "
                + Files.size(file) + " bytes after, " + beforeStop + " before");
        try (JdbcStore again = JdbcStore.open(config)) {
            Account last = again.accountByUsername("user_3_74").orElseThrow();
            assertEquals("user_3_74", last.username(), "reopened after the rewrite at the stop");
        }
    }

    @Test
    void aCopyACrashLeftHalfWrittenIsDeletedAtTheNextStartAndTheDataStays() throws Exception {
        DatabaseConfig config = DatabaseConfig.embedded(dir);
        try (JdbcStore store = JdbcStore.open(config)) {
            store.createAccount("kept", "Kept", "hash", Instant.now());
        }
        Path copy = config.embeddedFile().resolveSibling("salotto.mv.db.compacting");
        Files.write(copy, new byte[] {1, 2, 3}); // what a kill -9 in the middle of a rewrite leaves
        try (JdbcStore store = JdbcStore.open(config)) {
            assertFalse(Files.exists(copy), "the half-written copy is gone");
            assertTrue(store.accountByUsername("kept").isPresent());
        }
    }
}
