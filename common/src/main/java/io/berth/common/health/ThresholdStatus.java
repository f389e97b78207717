package io.berth.common.health;

/**
 * distribution's threshold updater: a check reports its latest error only once {@code threshold} results in a row
 * failed, and one success clears it. A threshold of 0 reports the first failure, as distribution does.
 */
public final class ThresholdStatus {
  private final int threshold;
  private int failuresInRow;
  private String error;

  public ThresholdStatus(int threshold) {
    this.threshold = Math.max(1, threshold);
  }

  /** {@code failure} is null for a passing result. */
  public void update(String failure) {
    if (failure == null) {
      failuresInRow = 0;
    } else if (failuresInRow < threshold) {
      failuresInRow++;
    }
    error = failure;
  }

  /** The error to report, or null while healthy (or not yet failing often enough). */
  public String reported() {
    return failuresInRow >= threshold ? error : null;
  }
}
