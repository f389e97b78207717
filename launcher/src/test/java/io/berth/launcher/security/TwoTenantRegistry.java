package io.berth.launcher.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.auth.keys.SigningKeyLoader;
import io.berth.common.testing.FreePorts;
import io.berth.common.testing.RawHttp;
import io.berth.common.testing.TestBytes;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.mindrot.jbcrypt.BCrypt;

/**
 * An all-in-one registry with token authentication by its own issuer and two tenants, each owning one repository
 * and nothing else (ACL: alice may do everything on {@code alice/*}, bob on {@code bob/*}). Each has pushed an image
 * tagged {@code v1} (a config and a layer blob of sizes no other blob has) and left an upload in progress. The
 * storage health probe is off, so that nothing but requests writes to storage.
 */
final class TwoTenantRegistry implements AutoCloseable {
  static final String TAG = "v1";
  private static final String SERVICE = "berth-tenants";
  private static final String ISSUER = "berth-tenants-issuer";
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  /** Bytes and their digest ({@code sha256:<hex>}). */
  record Blob(byte[] bytes, String digest) {
    static Blob of(byte[] bytes) {
      return new Blob(bytes, TestBytes.sha256(Buffer.buffer(bytes)).toString());
    }

    String hex() {
      return digest.substring("sha256:".length());
    }

    int size() {
      return bytes.length;
    }
  }

  /** A user, the repository it owns, a token for everything on it, what it pushed and its open upload's id. */
  record Tenant(String user, String repository, String token, Blob config, Blob layer, Blob manifest,
      String uploadId) {
    List<Blob> blobs() {
      return List.of(config, layer, manifest);
    }
  }

  private final RunningRegistry registry;
  private final Tenant alice;
  private final Tenant bob;

  private TwoTenantRegistry(RunningRegistry registry, Tenant alice, Tenant bob) {
    this.registry = registry;
    this.alice = alice;
    this.bob = bob;
  }

  static TwoTenantRegistry start(Path temp, boolean deleteEnabled) throws Exception {
    Path root = temp.resolve("storage");
    int issuerPort = FreePorts.onLoopback();
    Path config = Files.writeString(temp.resolve("config.yml"), String.join("\n",
        "version: 0.1",
        "health:",
        "  storagedriver:",
        "    enabled: false",
        "auth:",
        "  token:",
        "    realm: http://127.0.0.1:" + issuerPort + "/token",
        "    service: " + SERVICE,
        "    issuer: " + ISSUER,
        "    rootcertbundle: " + root.resolve("auth").resolve(SigningKeyLoader.CERTIFICATE_FILE),
        "authserver:",
        "  addr: 127.0.0.1:" + issuerPort,
        "  issuer: " + ISSUER,
        "  service: " + SERVICE,
        "  users: " + writeUsers(temp),
        "  acl:",
        "    - match: {account: alice, name: \"alice/*\"}",
        "      actions: [\"*\"]",
        "    - match: {account: bob, name: \"bob/*\"}",
        "      actions: [\"*\"]",
        ""));
    RunningRegistry registry = RunningRegistry.start(root, Map.of("REGISTRY_CONFIGURATION_PATH", config.toString(),
        "REGISTRY_STORAGE_DELETE_ENABLED", Boolean.toString(deleteEnabled)));
    try {
      Tenant alice = seed(registry.port(), issuerPort, "alice", 12_347, 23_459, 1);
      Tenant bob = seed(registry.port(), issuerPort, "bob", 3_001, 4_001, 2);
      return new TwoTenantRegistry(registry, alice, bob);
    } catch (Exception | AssertionError e) {
      registry.close();
      throw e;
    }
  }

  /** The password of each user is its name; bcrypt's cheapest cost keeps the token requests fast. */
  private static Path writeUsers(Path temp) throws Exception {
    List<String> lines = new ArrayList<>();
    for (String user : List.of("alice", "bob")) {
      lines.add(user + ":" + BCrypt.hashpw(user, BCrypt.gensalt(4)));
    }
    return Files.write(temp.resolve("htpasswd"), lines);
  }

  private static Tenant seed(int port, int issuerPort, String user, int configSize, int layerSize, long seed)
      throws Exception {
    String repository = user + "/app";
    String token = token(issuerPort, user, repository);
    Blob config = Blob.of(TestBytes.random(configSize, seed).getBytes());
    Blob layer = Blob.of(TestBytes.random(layerSize, seed + 100).getBytes());
    Blob manifest = Blob.of(new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST)
        .put("config", descriptor("application/vnd.oci.image.config.v1+json", config))
        .put("layers", new JsonArray().add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer)))
        .encode().getBytes(StandardCharsets.UTF_8));
    for (Blob blob : List.of(config, layer)) {
      expect(201, send(port, token, "POST", "/v2/" + repository + "/blobs/uploads/?digest=" + blob.digest(),
          blob.bytes(), "Content-Type: application/octet-stream"));
    }
    expect(201, send(port, token, "PUT", "/v2/" + repository + "/manifests/" + TAG, manifest.bytes(),
        "Content-Type: " + OCI_MANIFEST));
    String location = expect(202, send(port, token, "POST", "/v2/" + repository + "/blobs/uploads/", new byte[0]))
        .header("Location");
    String uploadId = location.substring(location.lastIndexOf('/') + 1);
    expect(202, send(port, token, "PATCH", "/v2/" + repository + "/blobs/uploads/" + uploadId,
        TestBytes.random(1_000, seed + 200).getBytes(), "Content-Type: application/octet-stream"));
    return new Tenant(user, repository, token, config, layer, manifest, uploadId);
  }

  private static JsonObject descriptor(String mediaType, Blob blob) {
    return new JsonObject().put("mediaType", mediaType).put("digest", blob.digest()).put("size", blob.size());
  }

  /** A token for everything the ACL grants {@code user} on {@code repository}. */
  private static String token(int issuerPort, String user, String repository) {
    String basic = Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
    String query = "service=" + encode(SERVICE) + "&scope=" + encode("repository:" + repository + ":pull,push,delete");
    RawHttp.Response issued = expect(200, RawHttp.send(issuerPort, "GET", "/token?" + query,
        "Authorization: Basic " + basic));
    return new JsonObject(issued.body()).getString("token");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static RawHttp.Response expect(int status, RawHttp.Response response) {
    assertEquals(status, response.status(), response::body);
    return response;
  }

  private static RawHttp.Response send(int port, String token, String method, String target, byte[] body,
      String... headers) {
    List<String> lines = new ArrayList<>(List.of(headers));
    lines.add("Authorization: Bearer " + token);
    return body == null ? RawHttp.send(port, method, target, lines.toArray(String[]::new))
        : RawHttp.send(port, method, target, body, lines.toArray(String[]::new));
  }

  /** The request exactly as written, with {@code as}'s token; {@code body} null for none. */
  RawHttp.Response send(Tenant as, String method, String target, byte[] body, String... headers) {
    return send(registry.port(), as.token(), method, target, body, headers);
  }

  Tenant alice() {
    return alice;
  }

  Tenant bob() {
    return bob;
  }

  Path root() {
    return registry.root();
  }

  /** Where a blob's bytes lie, in distribution's layout. */
  Path blobData(Blob blob) {
    return root().resolve("docker/registry/v2/blobs/sha256/" + blob.hex().substring(0, 2) + "/" + blob.hex()
        + "/data");
  }

  @Override
  public void close() throws Exception {
    registry.close();
  }
}
