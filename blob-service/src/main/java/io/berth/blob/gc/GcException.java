package io.berth.blob.gc;

/** A collection stopped before deleting anything it could not justify; the message says what to fix. */
public final class GcException extends RuntimeException {
  public GcException(String message) {
    super(message);
  }
}
