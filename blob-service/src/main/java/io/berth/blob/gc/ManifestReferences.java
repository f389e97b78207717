package io.berth.blob.gc;

import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a stored manifest keeps alive: its blobs (config and layers of an image, {@code blobs} of an OCI artifact,
 * {@code fsLayers} of Docker schema 1) and its child manifests (an index's {@code manifests}); and its
 * {@code subject}, which makes it a referrer. Read leniently, since another registry may have written it, but a
 * stored manifest that is not a JSON object cannot be read at all, and then nothing may be collected.
 */
record ManifestReferences(List<Digest> blobs, List<Digest> children, Digest subject) {
  static final ManifestReferences NONE = new ManifestReferences(List.of(), List.of(), null);

  static ManifestReferences parse(Buffer content) {
    JsonObject json;
    try {
      if (!(Json.decodeValue(content) instanceof JsonObject object)) {
        throw new IllegalArgumentException("not a JSON object");
      }
      json = object;
    } catch (DecodeException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    }
    List<Digest> blobs = new ArrayList<>();
    addDigest(blobs, json.getValue("config"), "digest");
    addDigests(blobs, json.getValue("layers"), "digest");
    addDigests(blobs, json.getValue("blobs"), "digest");
    addDigests(blobs, json.getValue("fsLayers"), "blobSum");
    List<Digest> children = new ArrayList<>();
    addDigests(children, json.getValue("manifests"), "digest");
    List<Digest> subject = new ArrayList<>();
    addDigest(subject, json.getValue("subject"), "digest");
    return new ManifestReferences(List.copyOf(blobs), List.copyOf(children), subject.isEmpty() ? null : subject.get(0));
  }

  private static void addDigests(List<Digest> into, Object descriptors, String field) {
    if (descriptors instanceof JsonArray array) {
      array.forEach(descriptor -> addDigest(into, descriptor, field));
    }
  }

  /** A descriptor whose digest is no valid digest names nothing that can be stored, so there is nothing to keep. */
  private static void addDigest(List<Digest> into, Object descriptor, String field) {
    if (descriptor instanceof JsonObject object && object.getValue(field) instanceof String text) {
      try {
        into.add(Digest.parse(text));
      } catch (RegistryException e) {
        // not a storable digest
      }
    }
  }
}
