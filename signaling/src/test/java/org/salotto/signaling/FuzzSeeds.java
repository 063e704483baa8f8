package org.salotto.signaling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the seed inputs of a Jazzer target where its regression mode reads them:
 * {@code src/test/resources/<package>/<TestClass>Inputs/<method>/<name>}. Each target's {@code writeSeeds} test does
 * this when run with {@code -Dsalotto.fuzz.seed=true}; by default it checks that the committed corpus holds every seed.
 * (The media module has the same helper; test classes are not shared between modules.)
 */
public final class FuzzSeeds {
    public static final String PROPERTY = "salotto.fuzz.seed";

    private FuzzSeeds() {
    }

    public static void write(Class<?> target, String method, String name, byte[] input) {
        Path dir = Path.of("src/test/resources", target.getPackageName().replace('.', '/'),
                target.getSimpleName() + "Inputs", method);
        if (!Boolean.getBoolean(PROPERTY)) {
            // Without the switch: the committed corpus must still hold this seed (a lost corpus fails here).
            if (!Files.isRegularFile(dir.resolve(name))) {
                throw new AssertionError("the seed " + dir.resolve(name) + " is missing from the committed corpus: run with -D"
                        + PROPERTY + "=true to write the seeds again");
            }
            return;
        }
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name), input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
