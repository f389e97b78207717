package io.berth.common.bus.message;

import io.berth.common.oci.MediaTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The referrers of a manifest: the descriptors of the manifests whose subject it is. On the wire it is the OCI image
 * index the referrers API answers, so the gateway sends it to the client as it came.
 */
public record Referrers(List<JsonObject> manifests) {
  public Referrers {
    manifests = List.copyOf(manifests);
  }

  public JsonObject toJson() {
    return new JsonObject().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX)
        .put("manifests", new JsonArray(List.copyOf(manifests)));
  }

  public static Referrers fromJson(JsonObject json) {
    return new Referrers(json.getJsonArray("manifests").stream().map(JsonObject.class::cast).toList());
  }
}
