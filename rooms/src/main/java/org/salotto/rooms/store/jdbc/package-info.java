/**
 * The {@link org.salotto.rooms.store.Store} on a relational database: {@link org.salotto.rooms.store.jdbc.JdbcStore}
 * keeps accounts, sessions, API keys, rooms, memberships, bans, blocks and server secrets in the embedded H2 file that
 * a fresh install starts with, or in PostgreSQL when {@link org.salotto.rooms.store.jdbc.DatabaseConfig} says so. The
 * same Flyway migrations ({@code db/migration}) and the same SQL serve both, so a feature tested on one works on the
 * other; connections come from one HikariCP pool and every store method is one short transaction, blocking, meant
 * for virtual threads.
 */
package org.salotto.rooms.store.jdbc;
