package io.berth.common.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** Parses a server's {@code timeouts} section and connection caps: {@code http.*} or {@code authserver.*}. */
final class ConnectionLimitsParser {
  /** Vert.x takes the idle timeout as an int of milliseconds. */
  private static final Duration LONGEST = Duration.ofMillis(Integer.MAX_VALUE);

  private ConnectionLimitsParser() {
  }

  static ConnectionLimits parse(ConfigReader reader, String section) {
    String timeouts = section + ".timeouts";
    Object value = reader.peek(timeouts);
    if (value != null && !(value instanceof JsonObject)) {
      throw new ConfigException(timeouts, "expected a section of keys, got \"" + value + "\"");
    }
    Duration idle = duration(reader, timeouts + ".idle", ConnectionLimits.DEFAULT_IDLE);
    Duration readHeader = duration(reader, timeouts + ".readheader", ConnectionLimits.DEFAULT_READ_HEADER);
    long minRate = count(reader, timeouts + ".bodyminrate", ConnectionLimits.DEFAULT_BODY_MIN_RATE);
    Duration window = duration(reader, timeouts + ".bodyratewindow", ConnectionLimits.DEFAULT_BODY_RATE_WINDOW);
    if (window.isZero()) {
      throw new ConfigException(timeouts + ".bodyratewindow", "must be longer than zero");
    }
    int max = (int) Math.min(Integer.MAX_VALUE, count(reader, section + ".maxconnections", 0));
    int perClient = (int) Math.min(Integer.MAX_VALUE, count(reader, section + ".maxconnectionsperclient", 0));
    return new ConnectionLimits(idle, readHeader, minRate, window, max, perClient);
  }

  private static Duration duration(ConfigReader reader, String key, Duration fallback) {
    Duration duration = reader.duration(key, fallback);
    if (duration.isNegative()) {
      throw new ConfigException(key, "must not be negative");
    }
    if (duration.compareTo(LONGEST) > 0) {
      throw new ConfigException(key, "must be at most " + LONGEST.toHours() + "h");
    }
    return duration;
  }

  private static long count(ConfigReader reader, String key, long fallback) {
    Object value = WrittenScalar.typed(reader.value(key));
    if (value == null) {
      return fallback;
    }
    String text = String.valueOf(value).trim();
    if (!text.matches("\\d{1,18}")) {
      throw new ConfigException(key, "expected a whole number of 0 or more, got \"" + value + "\"");
    }
    return Long.parseLong(text);
  }
}
