package io.berth.common.oci;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import java.util.regex.Pattern;

/**
 * A tag as the distribution spec defines it: at most 128 characters, no leading dot or dash. It names a directory
 * on storage ({@code _manifests/tags/<tag>}), so every instance is checked, however it is made.
 */
public record Tag(String value) {
  private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

  public Tag {
    if (!isValid(value)) {
      throw new RegistryException(ErrorCode.TAG_INVALID, "invalid tag: " + value);
    }
  }

  public static Tag parse(String text) {
    return new Tag(text);
  }

  public static boolean isValid(String text) {
    return text != null && GRAMMAR.matcher(text).matches();
  }

  @Override
  public String toString() {
    return value;
  }
}
