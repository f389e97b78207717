package io.berth.blob.bus;

import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.RegistryEvent;
import io.berth.common.event.EventPublisher;
import io.berth.common.event.RequestInfo;
import io.berth.common.oci.MediaTypes;

/**
 * The events of blob operations that succeeded, as distribution's notification bridge writes them: a blob's target
 * is its descriptor (type {@code application/octet-stream}, digest, size) with the repository and URL; a delete
 * names only digest and repository.
 */
public final class BlobEvents {
  private final EventPublisher publisher;

  public BlobEvents(EventPublisher publisher) {
    this.publisher = publisher;
  }

  /** An upload completed. */
  public void pushed(RequestInfo request, String repository, BlobInfo blob) {
    publisher.publish(RegistryEvent.PUSH, target(request, repository, blob, null), request);
  }

  /**
   * A blob was looked up for a client. The gateway stats a blob for HEAD as for GET, and only a GET hands the bytes
   * out, so only a GET is a pull; a lookup made for no client (the manifest service checking references) is none.
   */
  public void looked(RequestInfo request, String repository, BlobInfo blob) {
    if ("GET".equals(request.method())) {
      publisher.publish(RegistryEvent.PULL, target(request, repository, blob, null), request);
    }
  }

  public void mounted(RequestInfo request, String repository, String from, BlobInfo blob) {
    publisher.publish(RegistryEvent.MOUNT, target(request, repository, blob, from), request);
  }

  public void deleted(RequestInfo request, String repository, String digest) {
    publisher.publish(RegistryEvent.DELETE,
        new RegistryEvent.Target(null, digest, -1, repository, null, null, null, null), request);
  }

  private RegistryEvent.Target target(RequestInfo request, String repository, BlobInfo blob, String from) {
    return new RegistryEvent.Target(MediaTypes.OCTET_STREAM, blob.digest(), blob.size(), repository, from,
        publisher.urls().blob(request, repository, blob.digest()), null, null);
  }
}
