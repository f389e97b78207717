package io.berth.common.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go duration strings as distribution's config uses them ("300ms", "10s", "1h30m"); a bare number is seconds. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private Durations() {
  }

  public static Duration parse(String key, Object value) {
    if (value instanceof Number number) {
      return Duration.ofMillis(Math.round(number.doubleValue() * 1000));
    }
    String text = String.valueOf(value).trim();
    Matcher matcher = PART.matcher(text);
    long nanos = 0;
    int end = 0;
    while (matcher.find() && matcher.start() == end) {
      double amount = Double.parseDouble(matcher.group(1));
      nanos += (long) (amount * unitNanos(matcher.group(2)));
      end = matcher.end();
    }
    if (end == 0 || end != text.length()) {
      throw new ConfigException(key, "expected a duration such as 10s or 1h30m, got \"" + text + "\"");
    }
    return Duration.ofNanos(nanos);
  }

  private static double unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1;
      case "us", "µs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      default -> 3600e9;
    };
  }
}
