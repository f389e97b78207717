package io.berth.launcher.gc;

import io.berth.common.oci.Digest;
import io.berth.common.testing.TestBytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A registry client over plain HTTP as docker pushes and pulls: a blob is uploaded only when HEAD does not find it
 * in the repository, then the manifest is put. Any answer other than the expected one throws, naming the request.
 */
public final class PushPullClient {
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final String ACCEPT = OCI_MANIFEST + ", " + OCI_INDEX;

  /** A blob to push: its bytes and digest. */
  public record Blob(Buffer bytes, Digest digest) {
    public static Blob of(Buffer bytes) {
      return new Blob(bytes, TestBytes.sha256(bytes));
    }

    public static Blob random(int size, long seed) {
      return of(TestBytes.random(size, seed));
    }
  }

  /** An image manifest with its config and layers. */
  public record Image(Blob manifest, Blob config, List<Blob> layers) {
    public static Image of(Blob config, Blob... layers) {
      JsonArray layerList = new JsonArray();
      for (Blob layer : layers) {
        layerList.add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer));
      }
      JsonObject json = new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST)
          .put("config", descriptor("application/vnd.oci.image.config.v1+json", config)).put("layers", layerList);
      return new Image(Blob.of(Buffer.buffer(json.encode())), config, List.of(layers));
    }

    /** An artifact whose {@code subject} is {@code subject}: a referrer, such as a signature. */
    static Image referrer(Image subject, Blob config) {
      JsonObject json = new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST)
          .put("artifactType", "application/vnd.example.signature")
          .put("config", descriptor("application/vnd.oci.empty.v1+json", config)).put("layers", new JsonArray())
          .put("subject", descriptor(OCI_MANIFEST, subject.manifest()));
      return new Image(Blob.of(Buffer.buffer(json.encode())), config, List.of());
    }

    List<Blob> blobs() {
      List<Blob> blobs = new ArrayList<>(layers);
      blobs.add(0, config);
      return blobs;
    }
  }

  static JsonObject descriptor(String mediaType, Blob blob) {
    return new JsonObject().put("mediaType", mediaType).put("digest", blob.digest().toString())
        .put("size", blob.bytes().length());
  }

  /** An image index over {@code children}. */
  static Blob index(Image... children) {
    JsonArray manifests = new JsonArray();
    for (Image child : children) {
      manifests.add(descriptor(OCI_MANIFEST, child.manifest()).put("platform",
          new JsonObject().put("os", "linux").put("architecture", "arch" + manifests.size())));
    }
    return Blob.of(Buffer.buffer(new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_INDEX)
        .put("manifests", manifests).encode()));
  }

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;

  public PushPullClient(String baseUrl) {
    this.base = baseUrl;
  }

  HttpResponse<byte[]> send(String method, String target, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.startsWith("http") ? target : base + target))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> expect(int status, String method, String target, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response = send(method, target, body, headers);
    if (response.statusCode() != status) {
      throw new AssertionError(method + " " + target + " answered " + response.statusCode() + " (expected " + status
          + "): " + new String(response.body()));
    }
    return response;
  }

  /** HEAD, and when the repository does not have it, POST + PUT (a monolithic upload). */
  void pushBlob(String repository, Blob blob) throws IOException, InterruptedException {
    String path = "/v2/" + repository + "/blobs/" + blob.digest();
    if (send("HEAD", path, null).statusCode() == 200) {
      return;
    }
    String location = expect(202, "POST", "/v2/" + repository + "/blobs/uploads/", null).headers()
        .firstValue("Location").orElseThrow();
    String target = location + (location.contains("?") ? "&" : "?") + "digest=" + blob.digest();
    expect(201, "PUT", URI.create(base).resolve(target).toString(), blob.bytes().getBytes(),
        "Content-Type", "application/octet-stream");
  }

  void pushManifest(String repository, String reference, Blob manifest, String mediaType)
      throws IOException, InterruptedException {
    expect(201, "PUT", "/v2/" + repository + "/manifests/" + reference, manifest.bytes().getBytes(),
        "Content-Type", mediaType);
  }

  public void push(String repository, String reference, Image image) throws IOException, InterruptedException {
    for (Blob blob : image.blobs()) {
      pushBlob(repository, blob);
    }
    pushManifest(repository, reference, image.manifest(), OCI_MANIFEST);
  }

  /** Pulls the manifest by {@code reference} and every blob it names, checking each against its digest. */
  public Digest pull(String repository, String reference) throws IOException, InterruptedException {
    HttpResponse<byte[]> manifest = expect(200, "GET", "/v2/" + repository + "/manifests/" + reference, null,
        "Accept", ACCEPT);
    Digest digest = TestBytes.sha256(Buffer.buffer(manifest.body()));
    JsonObject json = new JsonObject(Buffer.buffer(manifest.body()));
    List<String> blobs = new ArrayList<>();
    if (json.getJsonArray("manifests") != null) {
      for (Object child : json.getJsonArray("manifests")) {
        pull(repository, ((JsonObject) child).getString("digest"));
      }
    } else {
      blobs.add(json.getJsonObject("config").getString("digest"));
      json.getJsonArray("layers").forEach(layer -> blobs.add(((JsonObject) layer).getString("digest")));
    }
    for (String blob : blobs) {
      byte[] bytes = expect(200, "GET", "/v2/" + repository + "/blobs/" + blob, null).body();
      if (!TestBytes.sha256(Buffer.buffer(bytes)).toString().equals(blob)) {
        throw new AssertionError("blob " + blob + " of " + repository + ":" + reference + " came back altered");
      }
    }
    return digest;
  }

  void deleteManifest(String repository, Digest digest) throws IOException, InterruptedException {
    expect(202, "DELETE", "/v2/" + repository + "/manifests/" + digest, null);
  }

  void deleteRepository(String repository) throws IOException, InterruptedException {
    expect(202, "DELETE", "/v2/" + repository + "/", null);
  }

  public List<String> catalog() throws IOException, InterruptedException {
    return strings(new JsonObject(Buffer.buffer(expect(200, "GET", "/v2/_catalog", null).body()))
        .getJsonArray("repositories"));
  }

  public List<String> tags(String repository) throws IOException, InterruptedException {
    return strings(new JsonObject(Buffer.buffer(expect(200, "GET", "/v2/" + repository + "/tags/list", null).body()))
        .getJsonArray("tags"));
  }

  private static List<String> strings(JsonArray array) {
    return array.stream().map(String.class::cast).sorted().toList();
  }
}
