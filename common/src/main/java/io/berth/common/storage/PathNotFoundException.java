package io.berth.common.storage;

/** A storage path that does not exist; callers turn it into the spec's *_UNKNOWN error. */
public final class PathNotFoundException extends RuntimeException {
  public PathNotFoundException(String path) {
    super("path not found: " + path, null, false, false);
  }
}
