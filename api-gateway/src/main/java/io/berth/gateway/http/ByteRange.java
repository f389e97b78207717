package io.berth.gateway.http;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A single byte range of a blob, from a {@code Range: bytes=a-b} request header (RFC 9110 §14.1.2). */
public record ByteRange(long offset, long length) {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  /** Null when the header is absent or not a single byte range (the whole blob is then sent, as RFC 9110 allows). */
  public static ByteRange parse(String header, long size) {
    if (header == null) {
      return null;
    }
    Matcher matcher = RANGE.matcher(header.trim());
    if (!matcher.matches() || (matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
      return null;
    }
    long first;
    long last;
    if (matcher.group(1).isEmpty()) {
      long suffix = position(matcher.group(2));
      first = Math.max(0, size - suffix);
      last = size - 1;
    } else {
      first = position(matcher.group(1));
      last = matcher.group(2).isEmpty() ? size - 1 : Math.min(position(matcher.group(2)), size - 1);
    }
    if (first >= size || last < first) {
      throw new RegistryException(ErrorCode.REQUESTED_RANGE_NOT_SATISFIABLE,
          "range " + header + " is outside the blob's " + size + " bytes", size);
    }
    return new ByteRange(first, last - first + 1);
  }

  /** A run of digits; one beyond any long names a position past the end of every blob, so it counts as the largest. */
  private static long position(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  public String contentRange(long size) {
    return "bytes " + offset + "-" + (offset + length - 1) + "/" + size;
  }
}
