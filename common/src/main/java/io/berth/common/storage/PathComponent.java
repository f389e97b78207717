package io.berth.common.storage;

import java.util.regex.Pattern;

/**
 * The kinds of identifier {@link StorageLayout} puts into a path, each with the characters its grammar allows. The
 * identifier types check their grammars when made; this is the second check, where the path is built (security
 * issue #10), so that no loosened grammar and no future caller can turn an identifier into a climb: a component is
 * never empty, {@code .} or {@code ..}, and holds no separator, backslash, NUL or other character outside its set.
 * A failure means a type let through what it must not: an IllegalArgumentException, never a path.
 */
enum PathComponent {
  /**
   * Starts with a letter or digit: a repository's own directories start with an underscore and listings skip names
   * starting with a dot, so no name component may start with either.
   */
  REPOSITORY_NAME("[a-z0-9][a-z0-9._-]*"),
  TAG("[A-Za-z0-9._-]+"),
  ALGORITHM("[a-z0-9]+"),
  HEX("[a-f0-9]+"),
  UPLOAD_ID("[a-f0-9-]+");

  private final Pattern allowed;

  PathComponent(String allowed) {
    this.allowed = Pattern.compile(allowed);
  }

  /** {@code text} when it is one safe component of this kind. */
  String check(String text) {
    if (text == null || text.equals(".") || text.equals("..") || !allowed.matcher(text).matches()) {
      throw new IllegalArgumentException("not a " + this + " storage path component: " + text);
    }
    return text;
  }

  /** {@code text} when each of its {@code /}-separated parts is a safe component of this kind (a repository name). */
  String checkEach(String text) {
    if (text == null) {
      throw new IllegalArgumentException("not a " + this + " storage path: null");
    }
    for (String part : text.split("/", -1)) {
      check(part);
    }
    return text;
  }
}
