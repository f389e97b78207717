package io.berth.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's Duration.String, the form of distribution's http.response.duration; expected values printed by Go. */
class GoDurationTest {
  @ParameterizedTest
  @CsvSource({
      "0, 0s",
      "999, 999ns",
      "1000, 1µs",
      "1500, 1.5µs",
      "1500000, 1.5ms",
      "1234567, 1.234567ms",
      "1000000000, 1s",
      "12034500000, 12.0345s",
      "62000000000, 1m2s",
      "3600000000000, 1h0m0s",
      "3723000000001, 1h2m3.000000001s",
      "-1500000, -1.5ms"})
  void formatsAsGoDoes(long nanos, String expected) {
    assertEquals(expected, GoDuration.format(nanos));
  }
}
