package io.berth.common.config;

import java.net.URI;
import java.time.Duration;

/**
 * distribution's {@code storage.s3} parameters, with its defaults. {@code accessKey}/{@code secretKey} are null when
 * the standard AWS credential chain is to be used; {@code regionEndpoint} is null for AWS itself; {@code keyId} and
 * {@code userAgent} are null when not set; {@code storageClass} is null for {@code NONE} (the endpoint's default).
 * {@code v4auth} has no field: Berth signs with Version 4 only, and refuses {@code v4auth: false}. {@code callTimeout}
 * ({@code calltimeout}, Berth's own key) bounds each call to S3, its retries included.
 */
public record S3Config(String accessKey, String secretKey, String region, URI regionEndpoint, boolean forcePathStyle,
    String bucket, String rootDirectory, boolean encrypt, String keyId, boolean secure, boolean skipVerify,
    long chunkSize, long multipartCopyChunkSize, int multipartCopyMaxConcurrency,
    long multipartCopyThresholdSize, String storageClass, String objectAcl, String userAgent, Duration callTimeout) {
  /** Below the bus's 30 s, so that a request meets S3's failure rather than the bus's timeout. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(20);
  /** S3's smallest part of a multipart upload but the last. */
  public static final long MIN_CHUNK_SIZE = 5L << 20;
  /** S3's largest part. */
  public static final long MAX_CHUNK_SIZE = 5L << 30;

  /** The parameters with the default {@link #DEFAULT_CALL_TIMEOUT}. */
  public S3Config(String accessKey, String secretKey, String region, URI regionEndpoint, boolean forcePathStyle,
      String bucket, String rootDirectory, boolean encrypt, String keyId, boolean secure, boolean skipVerify,
      long chunkSize, long multipartCopyChunkSize, int multipartCopyMaxConcurrency,
      long multipartCopyThresholdSize, String storageClass, String objectAcl, String userAgent) {
    this(accessKey, secretKey, region, regionEndpoint, forcePathStyle, bucket, rootDirectory, encrypt, keyId, secure,
        skipVerify, chunkSize, multipartCopyChunkSize, multipartCopyMaxConcurrency, multipartCopyThresholdSize,
        storageClass, objectAcl, userAgent, DEFAULT_CALL_TIMEOUT);
  }

  /** The same parameters with another {@code callTimeout}. */
  public S3Config withCallTimeout(Duration timeout) {
    return new S3Config(accessKey, secretKey, region, regionEndpoint, forcePathStyle, bucket, rootDirectory, encrypt,
        keyId, secure, skipVerify, chunkSize, multipartCopyChunkSize, multipartCopyMaxConcurrency,
        multipartCopyThresholdSize, storageClass, objectAcl, userAgent, timeout);
  }

  @Override
  public String toString() {
    return "S3Config[bucket=" + bucket + ", region=" + region + ", regionEndpoint=" + regionEndpoint
        + ", rootDirectory=" + rootDirectory + ", accessKey=" + (accessKey == null ? "none" : "<masked>") + "]";
  }
}
