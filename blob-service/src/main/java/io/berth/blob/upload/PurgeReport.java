package io.berth.blob.upload;

import io.berth.common.oci.UploadId;
import java.time.Instant;
import java.util.List;

/**
 * What one purge did: the uploads it deleted (on a dry run, would have deleted), those it kept because they were being
 * written (a request of this process was writing to them, or their data changed after the cutoff), and how many it
 * could not look at or delete.
 */
public record PurgeReport(List<PurgedUpload> purged, List<PurgedUpload> keptWhileWritten, int failures) {

  /** An upload directory, {@code _uploads/<uuid>} of {@code repository}, and when it was started. */
  public record PurgedUpload(String repository, UploadId uuid, Instant startedAt) {
  }
}
