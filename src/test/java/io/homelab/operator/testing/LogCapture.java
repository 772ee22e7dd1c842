package io.homelab.operator.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Keeps every log record of the JVM (the operator's, in a Quarkus test) as the text a log line and
 * its stack trace would show, for tests that look for what must never be logged.
 */
public final class LogCapture extends Handler {

  private final StringBuffer text = new StringBuffer();

  @Override
  public void publish(LogRecord record) {
    String message =
        record instanceof org.jboss.logmanager.ExtLogRecord ext
            ? ext.getFormattedMessage()
            : record.getMessage();
    text.append(record.getLoggerName()).append(' ').append(message).append('\n');
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      text.append(trace).append('\n');
    }
  }

  /** Everything captured so far. */
  public String text() {
    return text.toString();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
