package io.berth.common.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go duration strings as distribution's config uses them ("300ms", "10s", "1h30m"); a bare number is seconds. As in
 * Go, a duration is a count of nanoseconds in a long (some 292 years): a longer one, or a negative number, is refused
 * rather than wrapped into another.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private Durations() {
  }

  public static Duration parse(String key, Object value) {
    if (WrittenScalar.typed(value) instanceof Number number) {
      double seconds = number.doubleValue();
      if (!(seconds >= 0 && seconds * 1e9 < Long.MAX_VALUE)) {
        throw new ConfigException(key, "expected a duration such as 10s or 1h30m, got " + number);
      }
      return Duration.ofMillis(Math.round(seconds * 1000));
    }
    String text = String.valueOf(value).trim();
    Matcher matcher = PART.matcher(text);
    long nanos = 0;
    int end = 0;
    while (matcher.find() && matcher.start() == end) {
      double part = Double.parseDouble(matcher.group(1)) * unitNanos(matcher.group(2));
      if (part >= Long.MAX_VALUE - nanos) {
        throw new ConfigException(key, "duration \"" + text + "\" is longer than a Go duration holds (292 years)");
      }
      nanos += (long) part;
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
