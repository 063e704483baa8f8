package org.salotto.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Records what the server (in this JVM) logs, to count how much it says about something. */
final class LogLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    static LogLines capture() {
        var appender = new LogLines();
        appender.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        appender.setName("salotto-it-capture");
        appender.start();
        root().addAppender(appender);
        return appender;
    }

    @Override
    protected void append(ILoggingEvent event) {
        lines.add(event.getLoggerName() + " " + event.getLevel() + " " + event.getFormattedMessage());
    }

    /** The lines that contain {@code word}, ignoring case. */
    List<String> mentioning(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        return lines.stream().filter(line -> line.toLowerCase(Locale.ROOT).contains(lower)).toList();
    }

    @Override
    public void close() {
        root().detachAppender(this);
        stop();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
