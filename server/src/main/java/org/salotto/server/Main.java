package org.salotto.server;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code salotto serve}: starts the server on its embedded defaults and prints the URL to open. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config;
        try {
            config = ServerConfig.from(args, System.getenv());
        } catch (ServerConfig.ConfigException e) {
            System.err.println("salotto: " + e.getMessage());
            System.exit(2);
            return;
        }
        SalottoServer server = SalottoServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            log.info("shutting down");
            server.close();
            stopped.countDown();
        }));
        log.info("media on udp {}:{}, announced as {}", config.mediaHost(), server.mediaPort(), config.announceAddress());
        System.out.println();
        System.out.println("  Salotto is running. Open " + server.baseUrl() + "/ to sign up, create a room and share its link.");
        System.out.println();
        stopped.await();
    }
}
