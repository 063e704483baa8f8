package org.salotto.rooms.store.jdbc;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * The migrations, named here rather than found by scanning the class path: Flyway's scan of a jar sometimes found
 * nothing when several servers started in one JVM (the browser tests), leaving an empty schema. Add each new
 * {@code db/migration/V<n>__<what>.sql} to {@link #FILES}.
 */
final class Migrations implements ResourceProvider {
    static final List<String> FILES = List.of("V1__accounts_rooms_moderation_secrets.sql",
            "V2__room_runtime_outbox_timers.sql", "V3__ledger.sql", "V4__live_comments.sql", "V5__people.sql",
            "V8__join_token_keys.sql", "V9__webhooks.sql", "V10__whep.sql");
    private static final String FOLDER = "db/migration/";

    @Override
    public LoadableResource getResource(String name) {
        String file = name.startsWith(FOLDER) ? name.substring(FOLDER.length()) : name;
        return FILES.contains(file) ? new Sql(file) : null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        List<LoadableResource> found = new ArrayList<>();
        for (String file : FILES) {
            if (!file.startsWith(prefix)) continue;
            for (String suffix : suffixes) {
                if (file.endsWith(suffix)) {
                    found.add(new Sql(file));
                    break;
                }
            }
        }
        return found;
    }

    /** One SQL file of {@code db/migration} on the class path. */
    private static final class Sql extends LoadableResource {
        private final String file;

        Sql(String file) {
            this.file = file;
        }

        @Override
        public Reader read() {
            InputStream in = Migrations.class.getClassLoader().getResourceAsStream(FOLDER + file);
            if (in == null) throw new IllegalStateException("migration " + FOLDER + file + " is not on the class path");
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        }

        @Override
        public String getAbsolutePath() {
            return FOLDER + file;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return FOLDER + file;
        }

        @Override
        public String getFilename() {
            return file;
        }

        @Override
        public String getRelativePath() {
            return file;
        }
    }
}
