package io.berth.launcher.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.launcher.RunningRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/**
 * {@code storage.maintenance.readonly}: a registry restarted read-only on a populated storage serves every read and
 * refuses every write as distribution does (405 with {@code Allow: GET, HEAD}; the body is the spec's UNSUPPORTED
 * error), after authentication, and leaves the storage as it was.
 */
class ReadOnlyModeTest {
  private static final String REPO = "team/app";
  private static final String ALLOWED = "GET, HEAD";
  private static final Blob CONFIG = Blob.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
  private static final Blob LAYER = Blob.random(40_000);
  private static final Blob NEW_LAYER = Blob.random(1_000);
  private static final Manifest IMAGE = Manifest.ociImage(CONFIG).layer(LAYER).build();
  private static final Map<String, String> READ_ONLY = Map.of("REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "true");

  @TempDir
  static Path temp;
  private static RunningRegistry registry;
  private static OciClient client;
  private static String openSession;

  /** Pushes an image and opens an upload while writable, then restarts read-only on the same storage. */
  @BeforeAll
  static void populateThenRestartReadOnly() throws Exception {
    Path root = temp.resolve("storage");
    try (RunningRegistry writable = RunningRegistry.start(root, Map.of())) {
      OciClient writer = new OciClient(writable.baseUrl());
      writer.pushBlobs(REPO, CONFIG, LAYER);
      writer.pushManifest(REPO, "1.0", IMAGE);
      openSession = writer.post("/v2/" + REPO + "/blobs/uploads/", null).assertStatus(202).locationPath();
    }
    registry = RunningRegistry.start(root, READ_ONLY);
    client = new OciClient(registry.baseUrl());
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    registry.close();
  }

  @Test
  void readsGoOnInReadOnlyMode() {
    client.get("/v2/").assertStatus(200);
    client.getManifest(REPO, "1.0", Manifest.OCI_IMAGE).assertStatus(200).assertBody(IMAGE.bytes());
    client.head("/v2/" + REPO + "/manifests/" + IMAGE.digest()).assertStatus(200)
        .assertHeader("Docker-Content-Digest", IMAGE.digest());
    client.get("/v2/" + REPO + "/blobs/" + LAYER.digest()).assertStatus(200).assertBody(LAYER.bytes());
    client.head("/v2/" + REPO + "/blobs/" + CONFIG.digest()).assertStatus(200);
    assertEquals(List.of("1.0"), client.get("/v2/" + REPO + "/tags/list").assertStatus(200).json()
        .getJsonArray("tags").getList());
    assertEquals(List.of(REPO), client.get("/v2/_catalog").assertStatus(200).json()
        .getJsonArray("repositories").getList());
    client.get(openSession).assertStatus(204);
  }

  @Test
  void everyWriteIsRefusedWith405UnsupportedAndAllowGetHead() {
    String uploads = "/v2/" + REPO + "/blobs/uploads/";
    List<OciResponse> refused = List.of(
        client.post(uploads, null),
        client.post(OciClient.withQuery(uploads, "digest", NEW_LAYER.digest()), NEW_LAYER.bytes(),
            "Content-Type", OciClient.OCTET_STREAM),
        client.post("/v2/other/app/blobs/uploads/?mount=" + LAYER.digest() + "&from=" + REPO, null),
        client.patch(openSession, NEW_LAYER.bytes(), "Content-Type", OciClient.OCTET_STREAM),
        client.put(OciClient.withQuery(openSession, "digest", NEW_LAYER.digest()), NEW_LAYER.bytes(),
            "Content-Type", OciClient.OCTET_STREAM),
        client.delete(openSession),
        client.putManifest(REPO, "2.0", IMAGE),
        client.delete("/v2/" + REPO + "/manifests/" + IMAGE.digest()),
        client.delete("/v2/" + REPO + "/blobs/" + LAYER.digest()));

    for (OciResponse response : refused) {
      response.assertError(405, "UNSUPPORTED").assertHeader("Allow", ALLOWED);
    }
    assertEquals("the registry is in read-only mode: pushes and deletes are refused",
        refused.get(0).json().getJsonArray("errors").getJsonObject(0).getString("message"));
  }

  @Test
  void refusedWritesLeaveTheStorageAsItWas() {
    client.putManifest(REPO, "2.0", IMAGE).assertStatus(405);
    client.delete("/v2/" + REPO + "/manifests/" + IMAGE.digest()).assertStatus(405);
    client.delete("/v2/" + REPO + "/blobs/" + LAYER.digest()).assertStatus(405);
    client.patch(openSession, NEW_LAYER.bytes(), "Content-Type", OciClient.OCTET_STREAM).assertStatus(405);

    client.getManifest(REPO, "2.0", Manifest.OCI_IMAGE).assertError(404, "MANIFEST_UNKNOWN");
    client.getManifest(REPO, IMAGE.digest(), Manifest.OCI_IMAGE).assertStatus(200);
    client.get("/v2/" + REPO + "/blobs/" + LAYER.digest()).assertStatus(200).assertBody(LAYER.bytes());
    client.get(openSession).assertStatus(204).assertHeader("Range", "0-0");
    client.get("/v2/" + REPO + "/blobs/" + NEW_LAYER.digest()).assertError(404, "BLOB_UNKNOWN");
  }

  @Test
  void withAuthenticationTheChallengeComesBeforeTheRefusal() throws Exception {
    Path htpasswd = Files.writeString(temp.resolve("htpasswd"),
        "alice:" + BCrypt.hashpw("alice-s3cret", BCrypt.gensalt(4)) + "\n");
    try (RunningRegistry secured = RunningRegistry.start(temp.resolve("secured"), Map.of(
        "REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "true",
        "REGISTRY_AUTH_HTPASSWD_REALM", "berth",
        "REGISTRY_AUTH_HTPASSWD_PATH", htpasswd.toString()))) {
      OciClient securedClient = new OciClient(secured.baseUrl());
      String basic = "Basic " + Base64.getEncoder()
          .encodeToString("alice:alice-s3cret".getBytes(StandardCharsets.UTF_8));
      String manifest = "/v2/" + REPO + "/manifests/1.0";

      securedClient.put(manifest, IMAGE.bytes(), "Content-Type", IMAGE.mediaType())
          .assertError(401, "UNAUTHORIZED").assertHeader("WWW-Authenticate", "Basic realm=\"berth\"");
      securedClient.put(manifest, IMAGE.bytes(), "Content-Type", IMAGE.mediaType(), "Authorization", basic)
          .assertError(405, "UNSUPPORTED").assertHeader("Allow", ALLOWED);
      securedClient.get(manifest, "Authorization", basic).assertError(404, "MANIFEST_UNKNOWN");
    }
  }
}
