package io.berth.common.testing;

import java.util.List;
import java.util.Map;

/**
 * An image or image index a test wrote into an OCI layout under {@code tag}: the top manifest's digest, one
 * {@link Platform} per image manifest (one for a plain image, its own top), and every blob it reaches, by digest.
 */
public record TestImage(String tag, String mediaType, String digest, List<Platform> platforms,
    Map<String, byte[]> blobs) {

  public record Platform(String os, String architecture, String manifest, String config, List<String> layers) {
  }

  /** The single image of a plain (non-index) test image. */
  public Platform image() {
    if (platforms.size() != 1) {
      throw new IllegalStateException(tag + " is an index of " + platforms.size() + " images");
    }
    return platforms.get(0);
  }

  public byte[] manifest() {
    return blobs.get(digest);
  }
}
