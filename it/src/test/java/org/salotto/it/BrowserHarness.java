package org.salotto.it;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Node scripts of {@code it/browser/} that drive headless Chromium through Playwright.
 *
 * <p>A script takes one JSON object as its argument and prints JSON lines on stdout: events ({@code {"event": ...}})
 * and, last, one result ({@code {"ok": true|false, ...}}). Its stderr goes to {@code target/browser/<name>.stderr.log},
 * its screenshots to {@code target/browser/}. A script that outlives its timeout is killed with its browser.
 *
 * <p>When Chromium, node or the npm packages are missing the browser tests fail and say what to install; they are
 * never skipped, so a broken machine cannot pass for a green run.
 */
final class BrowserHarness {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path browserDir;
    private final Path reportDir;
    private final Path screenshotDir;

    BrowserHarness() {
        this.browserDir = Path.of(System.getProperty("salotto.browserDir", "browser")).toAbsolutePath();
        this.reportDir = Path.of(System.getProperty("salotto.reportDir", "target/browser")).toAbsolutePath();
        this.screenshotDir = Path.of(System.getProperty("salotto.screenshotDir", "target/screenshots")).toAbsolutePath();
    }

    Path reportDir() {
        return reportDir;
    }

    /** Where a flow saves the screenshots it takes along the way: {@code target/screenshots/<flow>/}. */
    String screenshots(String flow) {
        return screenshotDir.resolve(flow).toString();
    }

    /**
     * Fails the calling test, with what to install, unless Chromium, node and the npm packages are all there. Never a
     * skip: a browser test that does not run proves nothing. {@code ./salotto test} installs all three.
     */
    static void requireBrowsers() {
        var harness = new BrowserHarness();
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " (apt-get install chromium)");
        }
        if (findOnPath("node").isEmpty()) {
            missing.add("node on the PATH (apt-get install nodejs npm)");
        }
        if (!Files.isDirectory(harness.browserDir.resolve("node_modules/playwright-core"))) {
            missing.add(harness.browserDir.resolve("node_modules") + " (run: npm ci --prefix " + harness.browserDir + ")");
        }
        if (missing.isEmpty()) {
            return;
        }
        fail("browser tests need " + String.join(", ", missing) + "; ./salotto test installs them");
    }


    /**
     * Run as root (CI), Chromium raises its own browser and GPU processes' priority (nice -8) and runs its audio
     * threads in real time, which no person's Chromium can do: on two shared cores that starves the server under test
     * and the pages' own main threads. The scripts run without CAP_SYS_NICE, as a user's browser does.
     */
    private static final List<String> AS_A_USER = "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv"))
            ? List.of("/usr/bin/setpriv", "--bounding-set", "-sys_nice", "--") : List.of();

    /** Runs a script to the end; returns its result line, failing the test if it reported {@code ok: false}. */
    JsonNode run(String script, Map<String, ?> config, Duration timeout) {
        try (Run run = start(script, config, timeout)) {
            return run.result();
        }
    }

    /** Starts a script, for a test that talks to it while it runs (events on stdout, lines on stdin). */
    Run start(String script, Map<String, ?> config, Duration timeout) {
        try {
            List<String> node = List.of("node", browserDir.resolve(script).toString(), JSON.writeValueAsString(config));
            return start(AS_A_USER.isEmpty() ? node : java.util.stream.Stream.concat(AS_A_USER.stream(), node.stream()).toList(),
                    script, browserDir, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + script, e);
        }
    }

    /**
     * Starts any program that speaks the scripts' protocol (one JSON config argument, JSON lines on stdout): the
     * aiortc WHIP and WHEP client of {@code it/whip/}, say.
     */
    Run start(List<String> command, String script, Path directory, Duration timeout) {
        try {
            Files.createDirectories(reportDir);
            String name = script.replaceFirst("\\.(mjs|py)$", "") + "-" + System.currentTimeMillis();
            Path stderr = reportDir.resolve(name + ".stderr.log");
            Process process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            return new Run(script, process, stderr, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + script, e);
        }
    }

    private static Optional<Path> findOnPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** One running script. Closing it kills the script and its browser if they are still there. */
    static final class Run implements AutoCloseable {
        private static final JsonNode END = JSON.createObjectNode();

        private final String script;
        private final Process process;
        private final Path stderr;
        private final long deadlineNanos;
        private final LinkedBlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        private final Writer stdin;

        private Run(String script, Process process, Path stderr, Duration timeout) {
            this.script = script;
            this.process = process;
            this.stderr = stderr;
            this.deadlineNanos = System.nanoTime() + timeout.toNanos();
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread.ofVirtual().name("browser-" + script).start(this::readStdout);
        }

        /** Waits for the event line {@code {"event": name}}; fails the test if the script ends or times out first. */
        JsonNode awaitEvent(String name) {
            for (;;) {
                JsonNode line = next("the event " + name);
                if (name.equals(line.path("event").asText(null))) {
                    return line;
                }
                if (line.has("ok")) {
                    fail(script + " ended before the event " + name + ": " + line + " (stderr: " + stderr + ")");
                }
            }
        }

        /** Writes one line to the script's stdin. */
        void send(String line) {
            try {
                stdin.write(line + "\n");
                stdin.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write to " + script + " (stderr: " + stderr + ")", e);
            }
        }

        /** Waits for the result line; fails the test if it says {@code ok: false}, or never comes. */
        JsonNode result() {
            for (;;) {
                JsonNode line = next("its result");
                if (line.has("ok")) {
                    if (!line.path("ok").asBoolean()) {
                        fail(script + " failed: " + line.path("error").asText() + "\nresult: " + line
                                + "\nstderr: " + stderr);
                    }
                    return line;
                }
            }
        }

        private JsonNode next(String what) {
            try {
                long left = deadlineNanos - System.nanoTime();
                JsonNode line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    kill();
                    fail(script + " timed out waiting for " + what + "; killed it (stderr: " + stderr + ")");
                }
                if (line == END) {
                    lines.add(END); // stays at the end for any later call
                    fail(script + " exited with " + process.waitFor() + " before " + what + " (stderr: " + stderr + ")");
                }
                return line;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + script, e);
            }
        }

        private void readStdout() {
            try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    try {
                        lines.add(JSON.readTree(line));
                    } catch (IOException notJson) {
                        System.err.println(script + " printed a line that is not JSON: " + line);
                    }
                }
            } catch (IOException e) {
                System.err.println("reading " + script + ": " + e);
            } finally {
                lines.add(END);
            }
        }

        @Override
        public void close() {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // the script is gone already
            }
            try {
                if (process.waitFor(5, TimeUnit.SECONDS)) { // a script exits by itself after its result
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            kill();
        }

        /** Kills the script and everything it started (Chromium and its helpers). */
        private void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
