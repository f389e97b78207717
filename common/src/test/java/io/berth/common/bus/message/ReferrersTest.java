package io.berth.common.bus.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.oci.MediaTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answer of {@code manifest.v1.referrers} is the OCI image index the gateway sends on as it came. */
class ReferrersTest {
  @Test
  void itsBodyIsTheImageIndexOfTheReferrersApi() {
    JsonObject descriptor = new JsonObject().put("mediaType", MediaTypes.OCI_MANIFEST)
        .put("digest", "sha256:" + "b".repeat(64)).put("size", 42).put("artifactType", "application/spdx+json");

    JsonObject body = new Referrers(List.of(descriptor)).toJson();

    assertEquals(new JsonObject().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX)
        .put("manifests", new JsonArray().add(descriptor)), body);
    assertEquals(List.of(descriptor), Referrers.fromJson(body).manifests());
    assertEquals(body.encode(), Referrers.fromJson(body).toJson().encode(), "the same bytes for the client");
  }
}
