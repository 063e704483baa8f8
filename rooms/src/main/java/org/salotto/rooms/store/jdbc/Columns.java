package org.salotto.rooms.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** How Java values the schema has no plain JDBC type for go in and out of columns, the same on H2 and PostgreSQL. */
final class Columns {
    private Columns() {
    }

    /**
     * Instants go in as UTC OffsetDateTime (the java.time type both drivers map to TIMESTAMP WITH TIME ZONE),
     * truncated to the microseconds both databases keep, so the database never rounds one up into the next millisecond.
     */
    static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(stored(instant), ZoneOffset.UTC));
        }
    }

    /** The instant as it will read back from the database. */
    static Instant stored(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    static Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** An enum stored as its name(); a name this build does not know (written by a newer one?) is an error, not null. */
    static <E extends Enum<E>> E enumValue(Class<E> type, String name) throws SQLException {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SQLException("unknown " + type.getSimpleName() + " '" + name + "' in the database", e);
        }
    }
}
