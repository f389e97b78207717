package io.berth.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Go's RFC3339Nano, which distribution's formatters use for every line's time. */
class Rfc3339Test {
  @Test
  void theFractionLosesItsTrailingZerosAndUtcIsZ() {
    assertEquals("2024-03-05T07:08:09.12Z",
        Rfc3339.format(Instant.parse("2024-03-05T07:08:09.120Z"), ZoneOffset.UTC));
    assertEquals("2024-03-05T07:08:09.000000001Z",
        Rfc3339.format(Instant.parse("2024-03-05T07:08:09.000000001Z"), ZoneOffset.UTC));
  }

  @Test
  void wholeSecondsHaveNoFraction() {
    assertEquals("2024-03-05T07:08:09Z", Rfc3339.format(Instant.parse("2024-03-05T07:08:09Z"), ZoneOffset.UTC));
  }

  @Test
  void otherZonesWriteTheirOffset() {
    assertEquals("2024-07-01T14:00:00.5+02:00",
        Rfc3339.format(Instant.parse("2024-07-01T12:00:00.5Z"), ZoneId.of("Europe/Berlin")));
    assertEquals("2024-01-01T06:30:00.25-05:30",
        Rfc3339.format(Instant.parse("2024-01-01T12:00:00.25Z"), ZoneOffset.ofHoursMinutes(-5, -30)));
  }
}
