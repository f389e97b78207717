package io.berth.common.storage.s3;

import io.berth.common.config.S3Config;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Copies inside S3, as distribution does: one CopyObject up to {@code multipartcopythresholdsize}, above it a
 * multipart upload whose parts are UploadPartCopy requests of {@code multipartcopychunksize} bytes, at most
 * {@code multipartcopymaxconcurrency} at once (S3 copies at most 5 GiB in one request). No byte leaves S3.
 */
final class S3Copy {
  private final S3StorageDriver driver;
  private final S3Config config;
  private final String path;

  S3Copy(S3StorageDriver driver, String path) {
    this.driver = driver;
    this.config = driver.config();
    this.path = path;
  }

  /** {@code inPlace}: the object onto itself, which S3 allows only when it replaces the object's metadata. */
  Future<Void> copy(String fromKey, String toKey, long size, boolean inPlace) {
    if (size > config.multipartCopyThresholdSize()) {
      return multipart(fromKey, toKey, size);
    }
    CopyObjectRequest.Builder copy = CopyObjectRequest.builder()
        .sourceBucket(config.bucket()).sourceKey(fromKey).destinationBucket(config.bucket()).destinationKey(toKey)
        .contentType("application/octet-stream").acl(config.objectAcl()).storageClass(config.storageClass());
    if (inPlace) {
      copy.metadataDirective(MetadataDirective.REPLACE);
    }
    if (config.encrypt()) {
      copy.serverSideEncryption(config.keyId() == null ? ServerSideEncryption.AES256 : ServerSideEncryption.AWS_KMS)
          .ssekmsKeyId(config.keyId());
    }
    return driver.calls().call(path, () -> driver.client().copyObject(copy.build())).mapEmpty();
  }

  private Future<Void> multipart(String fromKey, String toKey, long size) {
    return driver.calls().call(path, () -> driver.client().createMultipartUpload(driver.createMultipartUpload(toKey)))
        .compose(created -> parts(created.uploadId(), fromKey, toKey, size, 1)
            .compose(parts -> driver.calls().call(path, () -> driver.client().completeMultipartUpload(b -> b
                .bucket(config.bucket()).key(toKey).uploadId(created.uploadId())
                .multipartUpload(m -> m.parts(parts)))))
            .<Void>mapEmpty()
            .recover(failure -> driver.calls().call(path, () -> driver.client().abortMultipartUpload(b -> b
                    .bucket(config.bucket()).key(toKey).uploadId(created.uploadId())))
                .transform(aborted -> Future.failedFuture(failure))));
  }

  /**
   * Copies the whole source object into parts {@code firstPart}, {@code firstPart + 1}, … of a multipart upload.
   * Every part is at least S3's 5 MiB minimum, so more parts may follow: a short last range joins the one before.
   */
  Future<List<CompletedPart>> parts(String uploadId, String fromKey, String toKey, long size, int firstPart) {
    List<long[]> ranges = ranges(size, config.multipartCopyChunkSize());
    List<CompletedPart> parts = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < ranges.size(); i++) {
      numbers.add(i);
    }
    return Bounded.each(numbers, config.multipartCopyMaxConcurrency(), i -> {
      long[] range = ranges.get(i);
      int number = firstPart + i;
      return driver.calls().call(path, () -> driver.client().uploadPartCopy(b -> b
              .sourceBucket(config.bucket()).sourceKey(fromKey).destinationBucket(config.bucket())
              .destinationKey(toKey).uploadId(uploadId).partNumber(number)
              .copySourceRange("bytes=" + range[0] + "-" + range[1])))
          .onSuccess(copied -> parts.add(CompletedPart.builder().partNumber(number)
              .eTag(copied.copyPartResult().eTag()).build()));
    }).map(v -> {
      parts.sort(Comparator.comparing(CompletedPart::partNumber));
      return parts;
    });
  }

  /** Inclusive byte ranges of {@code chunk} bytes; a remainder under S3's part minimum joins the last full range. */
  static List<long[]> ranges(long size, long chunk) {
    List<long[]> ranges = new ArrayList<>();
    for (long start = 0; start < size; start += chunk) {
      ranges.add(new long[] {start, Math.min(size, start + chunk) - 1});
    }
    if (ranges.size() > 1) {
      long[] last = ranges.get(ranges.size() - 1);
      if (last[1] - last[0] + 1 < S3Config.MIN_CHUNK_SIZE) {
        ranges.remove(ranges.size() - 1);
        ranges.get(ranges.size() - 1)[1] = last[1];
      }
    }
    return ranges;
  }
}
