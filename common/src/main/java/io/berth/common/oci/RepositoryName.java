package io.berth.common.oci;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import java.util.regex.Pattern;

/**
 * A repository name as the distribution spec defines it. The grammar rules out {@code ..}, {@code //},
 * upper case and leading or trailing separators, which is also what keeps storage paths inside the root; every
 * instance is checked, however it is made.
 */
public record RepositoryName(String value) {
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
  private static final Pattern GRAMMAR =
      Pattern.compile(COMPONENT.pattern() + "(?:/" + COMPONENT.pattern() + ")*");
  public static final int MAX_LENGTH = 255;

  public RepositoryName {
    if (!isValid(value)) {
      throw new RegistryException(ErrorCode.NAME_INVALID, "invalid repository name: " + value);
    }
  }

  public static RepositoryName parse(String text) {
    return new RepositoryName(text);
  }

  public static boolean isValid(String text) {
    return text != null && !text.isEmpty() && text.length() <= MAX_LENGTH && GRAMMAR.matcher(text).matches();
  }

  @Override
  public String toString() {
    return value;
  }
}
