package io.berth.notify;

import io.berth.common.bus.message.RegistryEvent;
import io.berth.common.event.RequestInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/** Registry events as blob-service and manifest-service publish them, built with the common contract. */
final class TestEvents {
  static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
  static final String DIGEST = "sha256:" + "ab".repeat(32);
  static final RequestInfo REQUEST = new RequestInfo("req-1", "10.0.0.7:41234", "registry.example.com", "PUT",
      "skopeo/1.13.3", "alice");

  private TestEvents() {
  }

  static RegistryEvent manifestPush(String id, String repository, String tag) {
    return manifest(id, RegistryEvent.PUSH, repository, tag);
  }

  static RegistryEvent manifest(String id, String action, String repository, String tag) {
    return RegistryEvent.of(id, Instant.parse("2024-05-01T12:00:00.123456789Z"), action,
        new RegistryEvent.Target(MANIFEST, DIGEST, 1234, repository, null,
            "http://registry.example.com/v2/" + repository + "/manifests/" + DIGEST, tag,
            new JsonArray().add(new JsonObject().put("mediaType", LAYER).put("digest", DIGEST)
                .put("size", 42))),
        REQUEST, "berth-1:5000", "instance-1");
  }

  static RegistryEvent blob(String id, String action, String repository) {
    return RegistryEvent.of(id, Instant.parse("2024-05-01T12:00:01Z"), action,
        new RegistryEvent.Target(LAYER, DIGEST, 42, repository, null, null, null, null),
        REQUEST, "berth-1:5000", "instance-1");
  }

  static String newId() {
    return UUID.randomUUID().toString();
  }
}
