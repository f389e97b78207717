package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.oci.MediaTypes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Plain HTTP reads of a registry's API (Berth or distribution), to check what a client's push left there. */
final class RegistryHttp {
  static final String ACCEPT_MANIFESTS = String.join(", ", MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
      MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;

  RegistryHttp(String hostPort) {
    this.base = "http://" + hostPort;
  }

  HttpResponse<byte[]> get(String path) throws Exception {
    return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<Void> head(String path) throws Exception {
    return client.send(request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
  }

  HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Opens an upload session (end-4a) and answers its location. */
  URI startUpload(String repository) throws Exception {
    HttpResponse<String> started = send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repository
        + "/blobs/uploads/")).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(202, started.statusCode(), started.body());
    return URI.create(base).resolve(started.headers().firstValue("Location").orElseThrow());
  }

  /** The upload location with the {@code digest} parameter that completes it (end-6). */
  static URI withDigest(URI session, String digest) {
    return URI.create(session + (session.getQuery() == null ? "?" : "&") + "digest=" + digest);
  }

  /** A manifest by tag or digest, accepting every manifest type. */
  HttpResponse<byte[]> manifest(String repository, String reference) throws Exception {
    HttpResponse<byte[]> response = get("/v2/" + repository + "/manifests/" + reference);
    assertEquals(200, response.statusCode(), () -> "GET manifest " + repository + ":" + reference + ": "
        + new String(response.body()));
    return response;
  }

  /** The manifest's digest as the registry reports it on HEAD. */
  String manifestDigest(String repository, String reference) throws Exception {
    HttpResponse<Void> response = head("/v2/" + repository + "/manifests/" + reference);
    assertEquals(200, response.statusCode(), "HEAD manifest " + repository + ":" + reference);
    return response.headers().firstValue("Docker-Content-Digest").orElseThrow();
  }

  List<String> catalog() throws Exception {
    return json("/v2/_catalog").getJsonArray("repositories").stream().map(String.class::cast).toList();
  }

  List<String> tags(String repository) throws Exception {
    JsonObject listing = json("/v2/" + repository + "/tags/list");
    assertEquals(repository, listing.getString("name"));
    return listing.getJsonArray("tags").stream().map(String.class::cast).sorted().toList();
  }

  private JsonObject json(String path) throws Exception {
    HttpResponse<byte[]> response = get(path);
    assertEquals(200, response.statusCode(), () -> "GET " + path + ": " + new String(response.body()));
    return new JsonObject(Buffer.buffer(response.body()));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Accept", ACCEPT_MANIFESTS);
  }
}
