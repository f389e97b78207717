package io.berth.common.storage.s3;

import io.berth.common.storage.StoragePaths;

/**
 * Storage paths as object keys, exactly as distribution's s3-aws driver names them
 * ({@code strings.TrimLeft(strings.TrimRight(rootdirectory, "/") + path, "/")} on its absolute paths): with
 * {@code rootdirectory: /registry}, {@code docker/registry/v2/blobs/…} is the key {@code registry/docker/registry/v2/blobs/…};
 * without one, the key is the path itself. A "directory" is the prefix of the keys below it.
 */
final class S3Keys {
  private final String root;

  S3Keys(String rootDirectory) {
    this.root = trimRight(rootDirectory);
  }

  /** The key of the file at a path in normal form; the root path has none. */
  String file(String path) {
    StoragePaths.check(path);
    if (path.isEmpty()) {
      throw new IllegalArgumentException("the storage root is no file");
    }
    return trimLeft(root + "/" + path);
  }

  /** The prefix of every key below a path in normal form, ending in "/" (or empty: the whole bucket). */
  String directory(String path) {
    StoragePaths.check(path);
    return trimLeft(path.isEmpty() ? root + "/" : root + "/" + path + "/");
  }

  /** The path of a key below the root, as {@link #file} names it. */
  String path(String key) {
    String base = directory("");
    if (!key.startsWith(base) || key.length() == base.length()) {
      throw new IllegalArgumentException("key " + key + " lies outside the root");
    }
    return key.substring(base.length());
  }

  private static String trimRight(String value) {
    int end = value.length();
    while (end > 0 && value.charAt(end - 1) == '/') {
      end--;
    }
    return value.substring(0, end);
  }

  private static String trimLeft(String value) {
    int start = 0;
    while (start < value.length() && value.charAt(start) == '/') {
      start++;
    }
    return value.substring(start);
  }
}
