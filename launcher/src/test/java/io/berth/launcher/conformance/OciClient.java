package io.berth.launcher.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A registry client as the conformance workflows drive it: plain HTTP/1.1 through {@link HttpClient}, which sends
 * paths exactly as given. Every answer is checked here for what no answer of the suite may be: a 5xx.
 */
final class OciClient {
  static final String OCTET_STREAM = "application/octet-stream";

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final String baseUrl;

  OciClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  OciResponse get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  OciResponse head(String path, String... headers) {
    return send("HEAD", path, null, headers);
  }

  OciResponse delete(String path) {
    return send("DELETE", path, null);
  }

  OciResponse post(String path, byte[] body, String... headers) {
    return send("POST", path, body, headers);
  }

  OciResponse put(String path, byte[] body, String... headers) {
    return send("PUT", path, body, headers);
  }

  OciResponse patch(String path, byte[] body, String... headers) {
    return send("PATCH", path, body, headers);
  }

  /** {@code target} is a path on the registry or a URL it handed out; {@code headers} are name, value pairs. */
  OciResponse send(String method, String target, byte[] body, String... headers) {
    URI uri = URI.create(target.startsWith("http") ? target : baseUrl + target);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    String description = method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      OciResponse answer = new OciResponse(description, response.statusCode(), response.headers(), response.body());
      assertTrue(answer.status() < 500, () -> description + " answered " + answer.status() + ": "
          + new String(answer.body(), StandardCharsets.UTF_8));
      return answer;
    } catch (IOException e) {
      return fail(description + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail(description + " interrupted", e);
    }
  }

  /** GET and HEAD of something the registry must not have both answer 404 with {@code code}. */
  void assertUnknown(String path, String code) {
    get(path).assertError(404, code);
    head(path).assertError(404, code);
  }

  /** Adds a query parameter to a URL the registry handed out, which may carry a query of its own. */
  static String withQuery(String url, String name, String value) {
    return url + (url.contains("?") ? "&" : "?") + name + "=" + value;
  }

  /** POST then PUT, the monolithic upload every client supports; answers the completing PUT. */
  OciResponse pushBlob(String repository, Blob blob) {
    String location = post("/v2/" + repository + "/blobs/uploads/", null).assertStatus(202).header("Location");
    return put(withQuery(location, "digest", blob.digest()), blob.bytes(), "Content-Type", OCTET_STREAM)
        .assertStatus(201);
  }

  void pushBlobs(String repository, Blob... blobs) {
    for (Blob blob : blobs) {
      pushBlob(repository, blob);
    }
  }

  OciResponse putManifest(String repository, String reference, Manifest manifest) {
    return put("/v2/" + repository + "/manifests/" + reference, manifest.bytes(),
        "Content-Type", manifest.mediaType());
  }

  OciResponse pushManifest(String repository, String reference, Manifest manifest) {
    return putManifest(repository, reference, manifest).assertStatus(201);
  }

  OciResponse getManifest(String repository, String reference, String accept) {
    return get("/v2/" + repository + "/manifests/" + reference, "Accept", accept);
  }
}
