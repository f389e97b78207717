package io.berth.common.storage;

/**
 * The one form of path every driver takes: relative to the storage root ("" is the root itself), non-empty segments,
 * none {@code .} or {@code ..}, no backslash or control character. Anything else is refused, also a climb that would
 * stay under the root: {@code _uploads/../../../../blobs/…} did, and reached every repository's blobs (security issue
 * #10).
 */
public final class StoragePaths {
  private StoragePaths() {
  }

  public static boolean isNormal(String path) {
    if (path.isEmpty()) {
      return true;
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
          || segment.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
        return false;
      }
    }
    return true;
  }

  public static String check(String path) {
    if (!isNormal(path)) {
      throw new IllegalArgumentException("not a storage path in normal form: " + path);
    }
    return path;
  }
}
