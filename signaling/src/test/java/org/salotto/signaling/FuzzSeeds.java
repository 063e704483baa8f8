package org.salotto.signaling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the seed inputs of a Jazzer target where its regression mode reads them:
 * {@code src/test/resources/<package>/<TestClass>Inputs/<method>/<name>}. Each target's {@code writeSeeds} test does
 * this when run with {@code -Dsalotto.fuzz.seed=true}; the files are committed, so the tests never write by default.
 * (The media module has the same helper; test classes are not shared between modules.)
 */
public final class FuzzSeeds {
    public static final String PROPERTY = "salotto.fuzz.seed";

    private FuzzSeeds() {
    }

    public static void write(Class<?> target, String method, String name, byte[] input) {
        Path dir = Path.of("src/test/resources", target.getPackageName().replace('.', '/'),
                target.getSimpleName() + "Inputs", method);
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name), input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
