package io.berth.blob.gc;

import io.berth.common.oci.Digest;

/** What a collection reports as it goes: progress for a terminal, and each deletion it decides, as distribution lists them. */
public interface GcListener {
  GcListener NONE = new GcListener() {
  };

  /** Marking went through one more repository ({@code repositories} so far, {@code manifests} read so far). */
  default void marked(String repository, int repositories, int manifests) {
  }

  default void manifestEligible(String repository, Digest digest) {
  }

  default void blobEligible(Digest digest, long size) {
  }

  default void layerLinkEligible(String repository, Digest digest) {
  }

  /** Sweeping went through {@code done} of {@code total} unmarked blobs. */
  default void swept(int done, int total) {
  }
}
