package io.berth.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
      "300ms, PT0.3S",
      "10s, PT10S",
      "1h30m, PT1H30M",
      "2h, PT2H",
      "1.5s, PT1.5S",
      "100us, PT0.0001S",
      "100µs, PT0.0001S",
      "5ns, PT0.000000005S",
      "1m30s250ms, PT1M30.25S",
      "' 10s ', PT10S"})
  void goDurationStringsParse(String text, Duration expected) {
    assertEquals(expected, Durations.parse("http.draintimeout", text));
  }

  @Test
  void aBareNumberIsSeconds() {
    assertEquals(Duration.ofSeconds(30), Durations.parse("http.draintimeout", 30));
    assertEquals(Duration.ofMillis(250), Durations.parse("http.draintimeout", 0.25));
    assertEquals(Duration.ofSeconds(45), Durations.parse("http.draintimeout", 45L));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "soon", "10x", "s10", "10s later", "-1s", "1h 30m", "1.s"})
  void anythingElseFailsNamingTheKey(String text) {
    ConfigException error = assertThrows(ConfigException.class, () -> Durations.parse("http.draintimeout", text));

    assertEquals("http.draintimeout: expected a duration such as 10s or 1h30m, got \"" + text.trim() + "\"",
        error.getMessage());
  }

  /** Go holds a duration as int64 nanoseconds; one beyond that was wrapped to a negative duration. */
  @ParameterizedTest
  @ValueSource(strings = {"2562048h", "9223372036s9223372036s", "99999999999999999999h"})
  void aDurationLongerThanGoHoldsFailsNamingTheKey(String text) {
    ConfigException error = assertThrows(ConfigException.class, () -> Durations.parse("http.draintimeout", text));

    assertEquals("http.draintimeout: duration \"" + text + "\" is longer than a Go duration holds (292 years)",
        error.getMessage());
  }

  @Test
  void aNegativeOrEndlessBareNumberFailsNamingTheKey() {
    for (Number number : new Number[] {-1, -0.5, 1e300, Double.NaN}) {
      ConfigException error = assertThrows(ConfigException.class,
          () -> Durations.parse("http.draintimeout", number), number::toString);
      assertEquals("http.draintimeout: expected a duration such as 10s or 1h30m, got " + number, error.getMessage());
    }
    assertEquals(Duration.ofHours(2562047), Durations.parse("http.draintimeout", "2562047h"));
  }
}
