package org.salotto.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The floor benchmark's program ({@code loadtest/floor/floor.c}, docs/performance.md "The floor"), compiled here from
 * its source with the machine's C compiler and OpenSSL's libcrypto (Debian's {@code gcc} and {@code libssl-dev}) into
 * {@code loadtest/target/floor/floor}, again whenever the source is newer. No binary is kept in the repository.
 * {@code -march=native}: it runs where it is built, and the floor is the fastest this machine can do.
 */
final class FloorBinary {
    /** Where the source is, from the repository's root (the launcher's folder) or from the loadtest module's. */
    private static final List<Path> SOURCES = List.of(Path.of("loadtest/floor/floor.c"), Path.of("floor/floor.c"));
    private static final long COMPILE_SECONDS = 120;

    private FloorBinary() {
    }

    /** The source found from the working directory, the repository's root or the loadtest module. */
    static Path defaultSource() {
        for (Path p : SOURCES) {
            if (Files.isRegularFile(p)) return p;
        }
        throw new IllegalArgumentException("floor.c not found from " + Path.of("").toAbsolutePath()
                + " (looked for " + SOURCES + "); give --source");
    }

    /**
     * The compiled program for {@code source}, built beside the module's other build output when missing or older
     * than the source.
     *
     * @throws IOException when the compiler fails or is missing, with its output and what to install
     */
    static Path build(Path source) throws IOException, InterruptedException {
        Path binary = source.toAbsolutePath().getParent().getParent().resolve("target/floor/floor");
        if (Files.isExecutable(binary)
                && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) {
            return binary;
        }
        Files.createDirectories(binary.getParent());
        Path partial = binary.resolveSibling("floor.partial");
        List<String> command = List.of("gcc", "-O2", "-march=native", "-Wall", "-o", partial.toString(),
                source.toAbsolutePath().toString(), "-lcrypto", "-lpthread");
        Process gcc;
        try {
            gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("the floor needs a C compiler and OpenSSL's libcrypto: apt-get install gcc libssl-dev ("
                    + e.getMessage() + ")", e);
        }
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(COMPILE_SECONDS, TimeUnit.SECONDS)) {
            gcc.destroyForcibly();
            throw new IOException("gcc did not finish in " + COMPILE_SECONDS + " s");
        }
        if (gcc.exitValue() != 0) {
            throw new IOException("compiling the floor failed (" + String.join(" ", command) + "); it needs gcc and "
                    + "OpenSSL's headers and libcrypto: apt-get install gcc libssl-dev\n" + output);
        }
        Files.move(partial, binary, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return binary;
    }
}
