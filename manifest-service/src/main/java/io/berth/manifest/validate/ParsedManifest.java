package io.berth.manifest.validate;

import io.berth.common.oci.Digest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the registry needs to know of a manifest: its media type, the blobs and child manifests it references (which
 * must exist before it may be stored), what the referrers API reports of it, and the descriptors an event lists as
 * {@code references}: those distribution's {@code References()} gives (config and layers of an image, the manifests
 * of an index), as written.
 */
public record ParsedManifest(String mediaType, List<Digest> blobs, List<Digest> children, Digest subject,
    String artifactType, JsonObject annotations, JsonArray references) {
}
