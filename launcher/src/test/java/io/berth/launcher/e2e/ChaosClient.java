package io.berth.launcher.e2e;

import io.berth.common.oci.Sha256;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One client of the chaos test: the OCI distribution API over plain HTTP/1.1, one connection pool of its own, each
 * request timed. A request that does not succeed throws {@link Failed}, which says whether the registry called it
 * retriable (503 with {@code Retry-After}).
 */
final class ChaosClient {
  static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /** Follows redirects: on S3, a blob GET is answered 307 to the object's pre-signed URL. */
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
  private final Random random;
  private long longestRequestNanos;

  /** A request the registry did not do: its status (0: no answer) and whether it said to try again. */
  static final class Failed extends Exception {
    final int status;
    final boolean retriable;

    Failed(String what, int status, boolean retriable, String detail) {
      super(what + " -> " + (status == 0 ? "no answer" : status) + (retriable ? " (Retry-After)" : "") + ": " + detail);
      this.status = status;
      this.retriable = retriable;
    }
  }

  /** An image this client pushed: its tag, the manifest's digest and bytes. */
  record Image(String tag, String digest, byte[] manifest) {
  }

  ChaosClient(long seed) {
    this.random = new Random(seed);
  }

  long longestRequestNanos() {
    return longestRequestNanos;
  }

  /** Two layers and a config, then the manifest by tag; every blob through POST, PATCH and PUT, as docker does. */
  Image push(String base, String repository, String tag) throws Failed, InterruptedException {
    List<JsonObject> layers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      byte[] layer = new byte[16 * 1024 + random.nextInt(32 * 1024)];
      random.nextBytes(layer);
      layers.add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", pushBlob(base, repository, layer),
          layer.length));
    }
    byte[] config = new JsonObject().put("architecture", "amd64").put("os", "linux")
        .put("created", tag + "-" + random.nextLong()).encode().getBytes(StandardCharsets.UTF_8);
    JsonObject manifest = new JsonObject().put("schemaVersion", 2).put("mediaType", MANIFEST)
        .put("config", descriptor("application/vnd.oci.image.config.v1+json", pushBlob(base, repository, config),
            config.length))
        .put("layers", new JsonArray(layers));
    byte[] bytes = manifest.encode().getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> put = send("PUT manifest", HttpRequest.newBuilder(URI.create(base + "/v2/" + repository
        + "/manifests/" + tag)).header("Content-Type", MANIFEST).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)),
        201);
    return new Image(tag, put.headers().firstValue("Docker-Content-Digest").orElseThrow(), bytes);
  }

  private static JsonObject descriptor(String mediaType, String digest, long size) {
    return new JsonObject().put("mediaType", mediaType).put("digest", digest).put("size", size);
  }

  private String pushBlob(String base, String repository, byte[] content) throws Failed, InterruptedException {
    String digest = Sha256.of(content).toString();
    HttpResponse<String> started = send("POST upload", HttpRequest.newBuilder(URI.create(base + "/v2/" + repository
        + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()), 202);
    String location = started.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> patched = send("PATCH upload", HttpRequest.newBuilder(URI.create(base).resolve(location))
        .header("Content-Type", "application/octet-stream")
        .header("Content-Range", "0-" + (content.length - 1))
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(content)), 202);
    String next = patched.headers().firstValue("Location").orElseThrow();
    send("PUT upload", HttpRequest.newBuilder(URI.create(base).resolve(next + (next.contains("?") ? "&" : "?")
        + "digest=" + digest)).PUT(HttpRequest.BodyPublishers.noBody()), 201);
    return digest;
  }

  /** The image by tag, every blob read and checked against its digest. */
  void pull(String base, String repository, String reference) throws Failed, InterruptedException {
    HttpResponse<byte[]> manifest = sendBytes("GET manifest", HttpRequest.newBuilder(URI.create(base + "/v2/"
        + repository + "/manifests/" + reference)).header("Accept", MANIFEST).GET());
    JsonObject parsed = new JsonObject(new String(manifest.body(), StandardCharsets.UTF_8));
    List<JsonObject> blobs = new ArrayList<>();
    blobs.add(parsed.getJsonObject("config"));
    parsed.getJsonArray("layers").forEach(layer -> blobs.add((JsonObject) layer));
    for (JsonObject blob : blobs) {
      String digest = blob.getString("digest");
      HttpResponse<byte[]> read = sendBytes("GET blob", HttpRequest.newBuilder(URI.create(base + "/v2/" + repository
          + "/blobs/" + digest)).GET());
      if (!Sha256.of(read.body()).toString().equals(digest)) {
        throw new Failed("GET blob " + digest, read.statusCode(), false, "content differs from its digest");
      }
    }
  }

  List<String> tags(String base, String repository) throws Failed, InterruptedException {
    HttpResponse<String> listed = send("GET tags", HttpRequest.newBuilder(URI.create(base + "/v2/" + repository
        + "/tags/list?n=1000")).GET(), 200);
    JsonArray tags = new JsonObject(listed.body()).getJsonArray("tags", new JsonArray());
    return tags.stream().map(String.class::cast).toList();
  }

  void catalog(String base) throws Failed, InterruptedException {
    send("GET catalog", HttpRequest.newBuilder(URI.create(base + "/v2/_catalog?n=1000")).GET(), 200);
  }

  /** Deletes a manifest by digest; 202, or 404 when {@code goneIsDone} (a failed first attempt may have done it). */
  void deleteManifest(String base, String repository, String digest, boolean goneIsDone)
      throws Failed, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v2/" + repository + "/manifests/" + digest))
        .timeout(REQUEST_TIMEOUT).DELETE().build();
    HttpResponse<String> deleted = exchange("DELETE manifest", request, HttpResponse.BodyHandlers.ofString());
    if (deleted.statusCode() != 202 && !(goneIsDone && deleted.statusCode() == 404)) {
      throw failed("DELETE manifest", deleted, deleted.body());
    }
  }

  private HttpResponse<String> send(String what, HttpRequest.Builder builder, int expected)
      throws Failed, InterruptedException {
    HttpResponse<String> response = exchange(what, builder.timeout(REQUEST_TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw failed(what, response, response.body());
    }
    return response;
  }

  private HttpResponse<byte[]> sendBytes(String what, HttpRequest.Builder builder)
      throws Failed, InterruptedException {
    HttpResponse<byte[]> response = exchange(what, builder.timeout(REQUEST_TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw failed(what, response, new String(response.body(), StandardCharsets.UTF_8));
    }
    return response;
  }

  private <T> HttpResponse<T> exchange(String what, HttpRequest request, HttpResponse.BodyHandler<T> body)
      throws Failed, InterruptedException {
    long start = System.nanoTime();
    try {
      return http.send(request, body);
    } catch (IOException e) {
      throw new Failed(what + " " + request.uri().getPath(), 0, false, e.toString());
    } finally {
      longestRequestNanos = Math.max(longestRequestNanos, System.nanoTime() - start);
    }
  }

  private static Failed failed(String what, HttpResponse<?> response, String body) {
    return new Failed(what + " " + response.uri().getPath(), response.statusCode(),
        response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent(), body);
  }
}
