package io.berth.manifest.validate;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.berth.common.oci.MediaTypes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses manifests of the four supported media types (and OCI artifacts, which are image manifests or indexes
 * with an {@code artifactType}). The media type comes from the body's {@code mediaType}, else the Content-Type,
 * else the shape of the body, as distribution decides it.
 */
public final class ManifestParser {
  private ManifestParser() {
  }

  /** Strict parse of a manifest being pushed. */
  public static ParsedManifest parse(String contentType, Buffer content) {
    JsonObject json = json(content);
    Object schemaVersion = json.getValue("schemaVersion");
    if (Integer.valueOf(1).equals(schemaVersion)) {
      throw invalid("Docker schema 1 manifests are not supported; push schema 2 or OCI");
    }
    if (!Integer.valueOf(2).equals(schemaVersion)) {
      throw invalid("schemaVersion must be 2");
    }
    String declared = optionalString(json, "mediaType");
    String type = stripParameters(contentType);
    // Set.of(…).contains(null) throws: a push without Content-Type, and every stored manifest, has no type here.
    boolean typed = type != null && MediaTypes.MANIFESTS.contains(type);
    if (declared != null && typed && !declared.equals(type)) {
      throw invalid("mediaType " + declared + " in the manifest does not match Content-Type " + type);
    }
    String mediaType = declared != null ? declared : typed ? type : shape(json);
    if (!MediaTypes.MANIFESTS.contains(mediaType)) {
      throw invalid("unsupported manifest media type " + mediaType);
    }
    return MediaTypes.isIndex(mediaType) ? index(json, mediaType) : image(json, mediaType);
  }

  /** Lenient media type of a stored manifest, which may have been written by another registry. */
  public static String storedMediaType(Buffer content) {
    try {
      JsonObject json = new JsonObject(content);
      String declared = json.getValue("mediaType") instanceof String s ? s : null;
      if (declared != null) {
        return declared;
      }
      if (Integer.valueOf(1).equals(json.getValue("schemaVersion"))) {
        return json.containsKey("signatures") ? MediaTypes.DOCKER_SCHEMA1_SIGNED : MediaTypes.DOCKER_SCHEMA1;
      }
      return shape(json);
    } catch (DecodeException | ClassCastException e) {
      return MediaTypes.OCI_MANIFEST;
    }
  }

  private static String shape(JsonObject json) {
    return json.getValue("manifests") instanceof JsonArray ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
  }

  private static ParsedManifest image(JsonObject json, String mediaType) {
    JsonObject config = descriptor(json.getValue("config"), "config");
    List<Digest> blobs = new ArrayList<>();
    blobs.add(Digest.parse(config.getString("digest")));
    JsonArray references = new JsonArray().add(config);
    for (JsonObject layer : descriptors(json, "layers")) {
      references.add(layer);
      if (!(layer.getValue("urls") instanceof JsonArray)) {
        blobs.add(Digest.parse(layer.getString("digest")));
      }
    }
    String artifactType = optionalString(json, "artifactType");
    return new ParsedManifest(mediaType, blobs, List.of(), subject(json),
        artifactType != null ? artifactType : config.getString("mediaType"), annotations(json), references);
  }

  private static ParsedManifest index(JsonObject json, String mediaType) {
    List<Digest> children = new ArrayList<>();
    JsonArray references = new JsonArray();
    for (JsonObject child : descriptors(json, "manifests")) {
      children.add(Digest.parse(child.getString("digest")));
      references.add(child);
    }
    return new ParsedManifest(mediaType, List.of(), children, subject(json), optionalString(json, "artifactType"),
        annotations(json), references);
  }

  private static Digest subject(JsonObject json) {
    Object subject = json.getValue("subject");
    return subject == null ? null : Digest.parse(descriptor(subject, "subject").getString("digest"));
  }

  private static JsonObject annotations(JsonObject json) {
    return json.getValue("annotations") instanceof JsonObject annotations ? annotations : null;
  }

  private static List<JsonObject> descriptors(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof JsonArray array)) {
      throw invalid(field + " must be an array of descriptors");
    }
    List<JsonObject> result = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      result.add(descriptor(array.getValue(i), field + "[" + i + "]"));
    }
    return result;
  }

  private static JsonObject descriptor(Object value, String field) {
    if (!(value instanceof JsonObject descriptor)) {
      throw invalid(field + " must be a descriptor object");
    }
    if (!(descriptor.getValue("mediaType") instanceof String)) {
      throw invalid(field + ".mediaType must be a string");
    }
    if (!(descriptor.getValue("size") instanceof Number size) || size.longValue() < 0) {
      throw invalid(field + ".size must be a non-negative number");
    }
    if (!(descriptor.getValue("digest") instanceof String digest)) {
      throw invalid(field + ".digest must be a string");
    }
    try {
      Digest.parse(digest);
    } catch (RegistryException e) {
      throw invalid(field + ".digest is invalid: " + digest);
    }
    return descriptor;
  }

  private static JsonObject json(Buffer content) {
    try {
      Object value = Json.decodeValue(content);
      if (value instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException e) {
      throw invalid("manifest is not valid JSON: " + e.getMessage());
    }
    throw invalid("manifest must be a JSON object");
  }

  private static String optionalString(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw invalid(field + " must be a string");
    }
    return (String) value;
  }

  static String stripParameters(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
  }

  private static RegistryException invalid(String message) {
    return new RegistryException(ErrorCode.MANIFEST_INVALID, message);
  }
}
