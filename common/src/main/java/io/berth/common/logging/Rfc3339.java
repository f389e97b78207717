package io.berth.common.logging;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Go's {@code time.RFC3339Nano}, the time format of distribution's log lines: seconds, then a fraction without its
 * trailing zeros (none when it is zero), then {@code Z} for UTC or the offset as {@code +hh:mm}.
 */
final class Rfc3339 {
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  private Rfc3339() {
  }

  static String format(Instant instant, ZoneId zone) {
    ZonedDateTime time = instant.atZone(zone);
    StringBuilder text = new StringBuilder(35).append(SECONDS.format(time));
    int nanos = time.getNano();
    if (nanos != 0) {
      String fraction = Integer.toString(1_000_000_000 + nanos).substring(1);
      int end = fraction.length();
      while (fraction.charAt(end - 1) == '0') {
        end--;
      }
      text.append('.').append(fraction, 0, end);
    }
    ZoneOffset offset = time.getOffset();
    return text.append(offset.getTotalSeconds() == 0 ? "Z" : offset.getId()).toString();
  }
}
