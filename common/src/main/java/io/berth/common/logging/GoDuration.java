package io.berth.common.logging;

/**
 * A duration as Go's {@code time.Duration.String} writes it ({@code 1.5ms}, {@code 12.0345s}, {@code 1m2s}), the form
 * of distribution's {@code http.response.duration}, so log queries written for distribution parse Berth's lines.
 */
public final class GoDuration {
  private static final long MICRO = 1_000;
  private static final long MILLI = 1_000_000;
  private static final long SECOND = 1_000_000_000;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;

  private GoDuration() {
  }

  public static String format(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    long value = Math.abs(nanos);
    if (value < MICRO) {
      return sign + value + "ns";
    }
    if (value < MILLI) {
      return sign + decimal(value, 3) + "µs";
    }
    if (value < SECOND) {
      return sign + decimal(value, 6) + "ms";
    }
    StringBuilder text = new StringBuilder(sign);
    long hours = value / HOUR;
    long minutes = value % HOUR / MINUTE;
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      text.append(minutes).append('m');
    }
    return text.append(decimal(value % MINUTE, 9)).append('s').toString();
  }

  /** {@code value / 10^digits} with the fraction's trailing zeros dropped. */
  private static String decimal(long value, int digits) {
    long unit = (long) Math.pow(10, digits);
    long fraction = value % unit;
    if (fraction == 0) {
      return Long.toString(value / unit);
    }
    String padded = String.format("%0" + digits + "d", fraction);
    int end = padded.length();
    while (padded.charAt(end - 1) == '0') {
      end--;
    }
    return value / unit + "." + padded.substring(0, end);
  }
}
