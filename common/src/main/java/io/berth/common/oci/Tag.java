package io.berth.common.oci;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import java.util.regex.Pattern;

/** A tag as the distribution spec defines it: at most 128 characters, no leading dot or dash. */
public final class Tag {
  private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

  private Tag() {
  }

  public static boolean isValid(String text) {
    return text != null && GRAMMAR.matcher(text).matches();
  }

  public static String require(String text) {
    if (!isValid(text)) {
      throw new RegistryException(ErrorCode.TAG_INVALID, "invalid tag: " + text);
    }
    return text;
  }
}
