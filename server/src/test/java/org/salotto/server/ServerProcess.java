package org.salotto.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code salotto serve} JVM ({@link Main} with a configuration file) for the tests that need a real process: a
 * signal, a crash (here, and the load generator's cluster tests: a node killed with {@code kill -9}). Its output is
 * read as it comes and kept for failure messages.
 */
public record ServerProcess(Process process, String url, StringBuffer log) {
    private static final Pattern URL = Pattern.compile("Salotto is running\\. Open (http://\\S+)/ ");

    public static ServerProcess start(Path config) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "--config", config.toString()))
                .redirectErrorStream(true).start();
        StringBuffer log = new StringBuffer();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    log.append(line).append('\n');
                    Matcher m = URL.matcher(line);
                    if (m.find()) url.complete(m.group(1));
                }
            } catch (Exception e) {
                // the process ended
            }
            url.completeExceptionally(new AssertionError("the server printed no URL:\n" + log));
        });
        try {
            return new ServerProcess(p, url.get(60, TimeUnit.SECONDS), log);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new AssertionError("the server did not start:\n" + log, e);
        }
    }

    public String output() {
        return log.toString();
    }

    /** SIGKILL (on Linux), and waits until the process is gone: nothing of it runs after this returns. */
    public void kill() throws InterruptedException {
        if (process.isAlive()) process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("still alive 30 s after SIGKILL");
    }
}
