package org.salotto.server.cli;

/** A command that cannot go on: its message says what happened and what to type; the exit status goes with it. */
final class CliException extends Exception {
    /** A mistake in what was typed or set (a missing key, a bad value). */
    static final int USAGE = 2;
    /** The server refused or did not answer. */
    static final int FAILED = 1;

    final int status;

    CliException(int status, String message) {
        super(message);
        this.status = status;
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    static CliException failed(String message) {
        return new CliException(FAILED, message);
    }
}
