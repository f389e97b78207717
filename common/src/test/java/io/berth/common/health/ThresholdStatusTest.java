package io.berth.common.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** distribution's threshold semantics: report after {@code threshold} failures in a row, clear on one success. */
class ThresholdStatusTest {
  @Test
  void failuresBelowTheThresholdAreNotReported() {
    ThresholdStatus status = new ThresholdStatus(3);

    status.update("disk gone");
    status.update("disk gone");

    assertNull(status.reported());
  }

  @Test
  void theThresholdthFailureInARowIsReportedWithTheLatestError() {
    ThresholdStatus status = new ThresholdStatus(3);

    status.update("first");
    status.update("second");
    status.update("third");

    assertEquals("third", status.reported());
    status.update("fourth");
    assertEquals("fourth", status.reported());
  }

  @Test
  void aSuccessInBetweenStartsTheCountAgain() {
    ThresholdStatus status = new ThresholdStatus(2);

    status.update("blip");
    status.update(null);
    status.update("blip");

    assertNull(status.reported());
  }

  @Test
  void oneSuccessClearsAReportedFailure() {
    ThresholdStatus status = new ThresholdStatus(2);
    status.update("down");
    status.update("down");

    status.update(null);

    assertNull(status.reported());
  }

  @Test
  void thresholdZeroReportsTheFirstFailureAsDistributionDoes() {
    ThresholdStatus status = new ThresholdStatus(0);

    status.update("down");

    assertEquals("down", status.reported());
  }

  @Test
  void nothingIsReportedBeforeTheFirstResult() {
    assertNull(new ThresholdStatus(1).reported());
  }
}
