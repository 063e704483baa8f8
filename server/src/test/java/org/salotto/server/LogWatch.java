package org.salotto.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Waits for what the server logs (its own log lines, through an extra appender): for periodic work whose only
 * outward sign is its log line, a test waits for that line instead of polling. Observes only.
 */
final class LogWatch implements AutoCloseable {
    private final Logger logger;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            lines.add(event.getFormattedMessage());
        }
    };

    LogWatch(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        appender.setContext(logger.getLoggerContext());
        appender.setName("log-watch");
        appender.start();
        logger.addAppender(appender);
    }

    /** The first line logged from now on that matches, or an AssertionError after {@code timeout}. */
    String await(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line != null && match.test(line)) return line;
        }
        throw new AssertionError("nothing matching was logged by " + logger.getName() + " within " + timeout);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
