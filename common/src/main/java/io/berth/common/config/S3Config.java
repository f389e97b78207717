package io.berth.common.config;

import java.net.URI;

/**
 * distribution's {@code storage.s3} parameters, with its defaults. {@code accessKey}/{@code secretKey} are null when
 * the standard AWS credential chain is to be used; {@code regionEndpoint} is null for AWS itself; {@code keyId} and
 * {@code userAgent} are null when not set; {@code storageClass} is null for {@code NONE} (the endpoint's default).
 * {@code v4auth} has no field: Berth signs with Version 4 only, and refuses {@code v4auth: false}.
 */
public record S3Config(String accessKey, String secretKey, String region, URI regionEndpoint, boolean forcePathStyle,
    String bucket, String rootDirectory, boolean encrypt, String keyId, boolean secure, boolean skipVerify,
    long chunkSize, long multipartCopyChunkSize, int multipartCopyMaxConcurrency,
    long multipartCopyThresholdSize, String storageClass, String objectAcl, String userAgent) {
  /** S3's smallest part of a multipart upload but the last. */
  public static final long MIN_CHUNK_SIZE = 5L << 20;
  /** S3's largest part. */
  public static final long MAX_CHUNK_SIZE = 5L << 30;

  @Override
  public String toString() {
    return "S3Config[bucket=" + bucket + ", region=" + region + ", regionEndpoint=" + regionEndpoint
        + ", rootDirectory=" + rootDirectory + ", accessKey=" + (accessKey == null ? "none" : "<masked>") + "]";
  }
}
