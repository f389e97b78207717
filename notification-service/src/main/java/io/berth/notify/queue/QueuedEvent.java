package io.berth.notify.queue;

/** The event at {@code sequence} in an endpoint's queue; {@code json} null when its record cannot be read back. */
public record QueuedEvent(long sequence, String json) {
  public boolean readable() {
    return json != null;
  }
}
