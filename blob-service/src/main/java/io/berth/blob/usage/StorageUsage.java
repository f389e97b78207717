package io.berth.blob.usage;

import java.util.List;

/**
 * What one walk of storage found: the bytes and number of stored blobs (each counted once, however many repositories
 * link it), the number of repositories, and the {@code largest} repositories by bytes, largest first.
 */
public record StorageUsage(long bytes, long blobs, int repositories, List<RepositoryUsage> largest) {
  /**
   * One repository's share: the blobs its layer and manifest links name that are stored, and their bytes. A blob
   * shared by several repositories counts in each, so these add up to more than the total.
   */
  public record RepositoryUsage(String name, long bytes, long blobs) {
  }

  public StorageUsage {
    largest = List.copyOf(largest);
  }
}
