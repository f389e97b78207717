package io.berth.launcher.conformance;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** A manifest's exact bytes as pushed, its media type and digest; built as JSON by {@link Builder}. */
record Manifest(String mediaType, byte[] bytes, String digest) {
  static final String OCI_IMAGE = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String DOCKER_IMAGE = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
  static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  static Manifest of(String mediaType, JsonObject json) {
    byte[] bytes = json.encodePrettily().getBytes(StandardCharsets.UTF_8);
    return new Manifest(mediaType, bytes, Blob.sha256(bytes));
  }

  int size() {
    return bytes.length;
  }

  /** The same manifest, named (and referenced) by its sha512 digest. */
  Manifest sha512() {
    return new Manifest(mediaType, bytes, Blob.sha512(bytes));
  }

  JsonObject descriptor() {
    return new JsonObject().put("mediaType", mediaType).put("digest", digest).put("size", size());
  }

  static Builder ociImage(Blob config) {
    return ociImage(config, OCI_CONFIG);
  }

  /** An image whose config has a type of its own, which then stands for the artifact's type. */
  static Builder ociImage(Blob config, String configMediaType) {
    return new Builder(OCI_IMAGE).config(config.descriptor(configMediaType));
  }

  static Builder dockerImage(Blob config) {
    return new Builder(DOCKER_IMAGE).config(config.descriptor(DOCKER_CONFIG));
  }

  /** An OCI artifact as the image spec 1.1 describes it: the empty config and an artifactType. */
  static Builder artifact(String artifactType) {
    return new Builder(OCI_IMAGE).config(Blob.EMPTY_JSON.descriptor(Blob.EMPTY_JSON_MEDIA_TYPE))
        .artifactType(artifactType);
  }

  static Builder ociIndex() {
    return new Builder(OCI_INDEX).list("manifests");
  }

  static Builder dockerList() {
    return new Builder(DOCKER_LIST).list("manifests");
  }

  /** Fields in the order the specs list them, so the bytes are the same for the same content. */
  static final class Builder {
    private final String mediaType;
    private final JsonObject json = new JsonObject();

    private Builder(String mediaType) {
      this.mediaType = mediaType;
      json.put("schemaVersion", 2).put("mediaType", mediaType);
    }

    Builder artifactType(String artifactType) {
      json.put("artifactType", artifactType);
      return this;
    }

    Builder config(JsonObject descriptor) {
      json.put("config", descriptor);
      return list("layers");
    }

    private Builder list(String field) {
      json.put(field, new JsonArray());
      return this;
    }

    Builder layer(Blob layer) {
      json.getJsonArray("layers").add(layer.descriptor(mediaType.equals(DOCKER_IMAGE) ? DOCKER_LAYER : OCI_LAYER));
      return this;
    }

    Builder manifest(Manifest child) {
      json.getJsonArray("manifests").add(child.descriptor());
      return this;
    }

    Builder subject(Manifest subject) {
      json.put("subject", subject.descriptor());
      return this;
    }

    Builder annotation(String key, String value) {
      JsonObject annotations = json.getJsonObject("annotations");
      json.put("annotations", (annotations == null ? new JsonObject() : annotations).put(key, value));
      return this;
    }

    Manifest build() {
      return Manifest.of(mediaType, json);
    }
  }
}
