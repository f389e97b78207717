package io.berth.manifest.bus;

import io.berth.common.bus.message.ManifestContent;
import io.berth.common.bus.message.RegistryEvent;
import io.berth.common.event.EventPublisher;
import io.berth.common.event.RequestInfo;
import io.berth.manifest.validate.ManifestParser;
import io.vertx.core.json.JsonArray;
import java.util.List;

/**
 * The events of manifest operations that succeeded, as distribution's notification bridge writes them: a manifest's
 * target is its media type, digest, size, repository and URL (by digest), with the tag it was pushed or fetched by and
 * its {@code references} (always here; the notifier drops them unless {@code events.includereferences} is set); a
 * manifest delete names digest and repository, a tag delete repository and tag.
 */
public final class ManifestEvents {
  private final EventPublisher publisher;

  public ManifestEvents(EventPublisher publisher) {
    this.publisher = publisher;
  }

  public void pushed(RequestInfo request, String repository, String tag, String digest, String mediaType,
      long size, JsonArray references) {
    publisher.publish(RegistryEvent.PUSH, target(request, repository, tag, digest, mediaType, size, references),
        request);
  }

  /** A manifest was read for a client; only a GET hands it out, so a HEAD (or a read for no client) is no pull. */
  public void read(RequestInfo request, String repository, String tag, ManifestContent manifest) {
    if ("GET".equals(request.method())) {
      publisher.publish(RegistryEvent.PULL, target(request, repository, tag, manifest.digest(),
          manifest.mediaType(), manifest.content().length(), references(manifest)), request);
    }
  }

  /**
   * A manifest was deleted, and with it the tags that named it ({@code untagged}): as in distribution 3, whose delete
   * untags them through the tag service, each of those is a tag delete event after the manifest's.
   */
  public void deleted(RequestInfo request, String repository, String digest, List<String> untagged) {
    publisher.publish(RegistryEvent.DELETE,
        new RegistryEvent.Target(null, digest, -1, repository, null, null, null, null), request);
    untagged.forEach(tag -> tagDeleted(request, repository, tag));
  }

  public void tagDeleted(RequestInfo request, String repository, String tag) {
    publisher.publish(RegistryEvent.DELETE,
        new RegistryEvent.Target(null, null, -1, repository, null, null, tag, null), request);
  }

  private RegistryEvent.Target target(RequestInfo request, String repository, String tag, String digest,
      String mediaType, long size, JsonArray references) {
    return new RegistryEvent.Target(mediaType, digest, size, repository, null,
        publisher.urls().manifest(request, repository, digest), tag, references);
  }

  /**
   * A stored manifest may come from another registry and not parse as one pushed here would (schema 1, say); then the
   * event lists no references rather than the pull failing.
   */
  private static JsonArray references(ManifestContent manifest) {
    try {
      return ManifestParser.parse(manifest.mediaType(), manifest.content()).references();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
