package io.berth.blob.upload;

import io.berth.common.oci.UploadId;
import java.time.Instant;
import java.util.List;

/**
 * What one purge did: the uploads it deleted (on a dry run, would have deleted), those it kept because they were being
 * written (a request of this process was writing to them, or their data changed after the cutoff), the unfinished
 * writes of sessions that were gone ({@code abandonedWrites}: S3 multipart uploads with no session left, started
 * before the cutoff, aborted; their {@code startedAt} is when the write began), and how many it could not look at or
 * delete.
 */
public record PurgeReport(List<PurgedUpload> purged, List<PurgedUpload> keptWhileWritten,
    List<PurgedUpload> abandonedWrites, int failures) {

  /** An upload directory, {@code _uploads/<uuid>} of {@code repository}, and when it was started. */
  public record PurgedUpload(String repository, UploadId uuid, Instant startedAt) {
  }
}
