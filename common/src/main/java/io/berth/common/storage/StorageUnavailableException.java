package io.berth.common.storage;

/**
 * Storage that failed to answer a call: an S3 server error or throttling, a connection refused or reset, a call that
 * timed out. Not the request's fault and retriable: requests answer 503 {@code UNAVAILABLE}.
 */
public final class StorageUnavailableException extends RuntimeException {
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
