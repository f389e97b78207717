package io.berth.launcher.e2e;

import static io.berth.launcher.e2e.ImageAssertions.assertPulledUnchanged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.auth.keys.SigningKeyLoader;
import io.berth.common.testing.ChildProcess;
import io.berth.common.testing.FreePorts;
import io.berth.common.testing.OciLayoutWriter;
import io.berth.common.testing.TestImage;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/**
 * skopeo against an all-in-one Berth with authentication: credentials given on the command line and kept by
 * {@code skopeo login}, through htpasswd (Basic) and through token auth with Berth's own issuer in the same process
 * (ACL: alice owns {@code alice/*} and may publish to {@code public/*}, bob may only pull {@code alice/shared},
 * anonymous may pull {@code public/*}); refused without credentials, with a wrong password and beyond the ACL.
 */
class AuthEndToEndTest {
  private static final int LAYER_BYTES = 16 * 1024;
  private static final String BASIC_REALM = "berth-e2e";
  private static final String SERVICE = "berth-e2e-registry";
  private static final String ISSUER = "berth-e2e-issuer";
  private static final Map<String, String> PASSWORDS = Map.of("alice", "alice-s3cret", "bob", "bob-s3cret");

  @TempDir
  Path temp;
  private RunningRegistry registry;
  private Skopeo skopeo;
  private TestImage image;
  private Path authFile;
  private int issuerPort;

  @BeforeEach
  void writeImage() throws Exception {
    ChildProcess.requireInstalled("skopeo");
    skopeo = new Skopeo(temp.resolve("skopeo"));
    image = OciLayoutWriter.create(temp.resolve("images"), 31).image("1.0", 1, LAYER_BYTES);
    authFile = temp.resolve("auth.json");
  }

  @AfterEach
  void stopRegistry() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void htpasswdCredentialsOnTheCommandLinePushAndPullTheImageBack() throws Exception {
    startWithHtpasswd();

    skopeo.push(images(), image.tag(), reference("team/app"), "--dest-creds", creds("alice"));

    assertPulledUnchanged(image, skopeo.pull(reference("team/app"), temp.resolve("pulled"), image.tag(),
        "--src-creds", creds("bob")));
  }

  @Test
  void htpasswdLoginKeepsTheCredentialsForPushAndPull() throws Exception {
    startWithHtpasswd();

    login("alice");
    skopeo.push(images(), image.tag(), reference("team/app"), "--authfile", authFile.toString());

    assertPulledUnchanged(image, skopeo.pull(reference("team/app"), temp.resolve("pulled"), image.tag(),
        "--authfile", authFile.toString()));
  }

  @Test
  void htpasswdRefusesSkopeoWithoutCredentialsOrWithAWrongPassword() throws Exception {
    startWithHtpasswd();
    skopeo.push(images(), image.tag(), reference("team/app"), "--dest-creds", creds("alice"));

    assertUnauthenticated(skopeo.attemptPush(images(), image.tag(), reference("team/other")));
    assertUnauthenticated(skopeo.attemptPush(images(), image.tag(), reference("team/other"), "--dest-creds",
        "alice:not-her-password"));
    assertUnauthenticated(skopeo.attemptPull(reference("team/app"), temp.resolve("anonymous"), image.tag()));
    assertUnauthenticated(skopeo.attemptPull(reference("team/app"), temp.resolve("wrong"), image.tag(),
        "--src-creds", "bob:not-his-password"));
    assertLoginRefused(skopeo.attemptLogin(registry.hostPort(), authFile, "alice", "not-her-password"));
    assertEquals(404, withBasic("GET", "/v2/team/other/manifests/" + image.tag(), "alice").statusCode(),
        "a refused push must leave nothing behind");
  }

  @Test
  void htpasswdVersionCheckChallengesWithBasicAndAcceptsAUserOfTheFile() throws Exception {
    startWithHtpasswd();

    HttpResponse<String> anonymous = http().send(request("GET", "/v2/").build());
    assertEquals(401, anonymous.statusCode());
    assertEquals("Basic realm=\"" + BASIC_REALM + "\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
    assertEquals("UNAUTHORIZED", errorCode(anonymous));
    assertEquals(200, withBasic("GET", "/v2/", "alice").statusCode());
  }

  @Test
  void tokenCredentialsOnTheCommandLinePushToTheOwnNamespaceAndPullBack() throws Exception {
    startWithTokenIssuer();

    skopeo.push(images(), image.tag(), reference("alice/app"), "--dest-creds", creds("alice"));

    assertPulledUnchanged(image, skopeo.pull(reference("alice/app"), temp.resolve("pulled"), image.tag(),
        "--src-creds", creds("alice")));
  }

  @Test
  void tokenLoginThroughTheIssuerKeepsTheCredentialsForPushAndPull() throws Exception {
    startWithTokenIssuer();

    login("alice");
    skopeo.push(images(), image.tag(), reference("alice/app"), "--authfile", authFile.toString());

    assertPulledUnchanged(image, skopeo.pull(reference("alice/app"), temp.resolve("pulled"), image.tag(),
        "--authfile", authFile.toString()));
    assertLoginRefused(skopeo.attemptLogin(registry.hostPort(), temp.resolve("wrong-auth.json"), "alice",
        "not-her-password"));
  }

  @Test
  void tokenRefusesAPushIntoAnotherUsersNamespace() throws Exception {
    startWithTokenIssuer();

    assertDenied(skopeo.attemptPush(images(), image.tag(), reference("alice/app"), "--dest-creds", creds("bob")));
    assertDenied(skopeo.attemptPush(images(), image.tag(), reference("alice/app")));

    assertEquals(404, withBearer("GET", "/v2/alice/app/manifests/" + image.tag(), "alice", "alice/app")
        .statusCode(), "a refused push must leave nothing behind");
  }

  @Test
  void tokenLetsAPullOnlyUserPullButNotPush() throws Exception {
    startWithTokenIssuer();
    skopeo.push(images(), image.tag(), reference("alice/shared"), "--dest-creds", creds("alice"));

    assertPulledUnchanged(image, skopeo.pull(reference("alice/shared"), temp.resolve("pulled"), image.tag(),
        "--src-creds", creds("bob")));
    assertDenied(skopeo.attemptPush(images(), image.tag(), reference("alice/shared", "bob"), "--dest-creds",
        creds("bob")));

    assertEquals(404, withBearer("GET", "/v2/alice/shared/manifests/bob", "alice", "alice/shared").statusCode(),
        "a refused push must leave no tag behind");
  }

  @Test
  void tokenLetsAnonymousPullPublicRepositoriesOnly() throws Exception {
    startWithTokenIssuer();
    skopeo.push(images(), image.tag(), reference("public/img"), "--dest-creds", creds("alice"));
    skopeo.push(images(), image.tag(), reference("alice/app"), "--dest-creds", creds("alice"));

    assertPulledUnchanged(image, skopeo.pull(reference("public/img"), temp.resolve("public"), image.tag()));
    assertDenied(skopeo.attemptPull(reference("alice/app"), temp.resolve("private"), image.tag()));
    assertDenied(skopeo.attemptPush(images(), image.tag(), reference("public/img", "anonymous")));
  }

  @Test
  void tokenChallengesNameNoScopeOnTheVersionCheckAndThePullScopeOnABlob() throws Exception {
    startWithTokenIssuer();
    String challenge = "Bearer realm=\"" + realm() + "\",service=\"" + SERVICE + "\"";

    HttpResponse<String> versionCheck = http().send(request("GET", "/v2/").build());
    HttpResponse<String> blob = http().send(request("GET", "/v2/alice/app/blobs/" + image.image().config()).build());

    assertEquals(401, versionCheck.statusCode());
    assertEquals(challenge, versionCheck.headers().firstValue("WWW-Authenticate").orElse(""));
    assertEquals("UNAUTHORIZED", errorCode(versionCheck));
    assertEquals(401, blob.statusCode());
    assertEquals(challenge + ",scope=\"repository:alice/app:pull\"",
        blob.headers().firstValue("WWW-Authenticate").orElse(""));
    assertEquals("UNAUTHORIZED", errorCode(blob));
    assertEquals(200, withBearer("GET", "/v2/", "alice", "alice/app").statusCode());
  }

  private void startWithHtpasswd() throws Exception {
    registry = RunningRegistry.start(temp.resolve("storage"), Map.of(
        "REGISTRY_AUTH_HTPASSWD_REALM", BASIC_REALM,
        "REGISTRY_AUTH_HTPASSWD_PATH", writeHtpasswd().toString()));
  }

  /**
   * The issuer's port is chosen before the start because the registry's realm names it; the issuer is deployed
   * before the gateway, so the certificate it generates on first start exists when the gateway reads the bundle.
   */
  private void startWithTokenIssuer() throws Exception {
    Path root = temp.resolve("storage");
    issuerPort = FreePorts.onLoopback();
    Path config = Files.writeString(temp.resolve("config.yml"), String.join("\n",
        "version: 0.1",
        "auth:",
        "  token:",
        "    realm: " + realm(),
        "    service: " + SERVICE,
        "    issuer: " + ISSUER,
        "    rootcertbundle: " + root.resolve("auth").resolve(SigningKeyLoader.CERTIFICATE_FILE),
        "authserver:",
        "  addr: 127.0.0.1:" + issuerPort,
        "  issuer: " + ISSUER,
        "  service: " + SERVICE,
        "  users: " + writeHtpasswd(),
        "  acl:",
        "    - match: {account: alice, name: \"alice/*\"}",
        "      actions: [\"*\"]",
        "    - match: {account: alice, name: \"public/*\"}",
        "      actions: [\"*\"]",
        "    - match: {account: bob, name: alice/shared}",
        "      actions: [pull]",
        "    - match: {account: \"\", name: \"public/*\"}",
        "      actions: [pull]",
        ""));
    registry = RunningRegistry.start(root, Map.of("REGISTRY_CONFIGURATION_PATH", config.toString()));
  }

  /** bcrypt entries with the {@code $2y$} prefix {@code htpasswd -B} writes, which jBCrypt itself never produces. */
  private Path writeHtpasswd() throws Exception {
    List<String> lines = new ArrayList<>();
    PASSWORDS.forEach((user, password) ->
        lines.add(user + ":$2y$" + BCrypt.hashpw(password, BCrypt.gensalt(10)).substring("$2a$".length())));
    return Files.write(temp.resolve("htpasswd"), lines);
  }

  private String realm() {
    return "http://127.0.0.1:" + issuerPort + "/token";
  }

  private void login(String user) throws Exception {
    ChildProcess.Result login = skopeo.attemptLogin(registry.hostPort(), authFile, user, PASSWORDS.get(user))
        .requireSuccess();
    assertTrue(login.stdout().contains("Login Succeeded"), login.stdout());
  }

  /** skopeo failed on the registry's 401 and its OCI {@code UNAUTHORIZED} body: no or wrong credentials. */
  private static void assertUnauthenticated(ChildProcess.Result result) {
    assertRefused(result, "unauthorized: authentication required");
  }

  /**
   * skopeo failed on a 401 whose challenge says {@code error="insufficient_scope"}: the client (distribution's error
   * handling, which containers/image uses) turns that into {@code DENIED}.
   */
  private static void assertDenied(ChildProcess.Result result) {
    assertRefused(result, "denied: requested access to the resource is denied");
  }

  /** {@code skopeo login} reports the 401 it got for the credentials it tried as this. */
  private static void assertLoginRefused(ChildProcess.Result result) {
    assertRefused(result, "invalid username/password");
  }

  private static void assertRefused(ChildProcess.Result result, String reason) {
    assertNotEquals(0, result.exitCode(), () -> String.join(" ", result.command()) + " succeeded but should have "
        + "been refused\nstdout: " + result.stdout());
    assertTrue(result.stderr().contains(reason), () -> String.join(" ", result.command())
        + " failed, but without saying \"" + reason + "\"\nstderr: " + result.stderr());
  }

  private Path images() {
    return temp.resolve("images");
  }

  private String reference(String repository) {
    return reference(repository, image.tag());
  }

  private String reference(String repository, String tag) {
    return registry.hostPort() + "/" + repository + ":" + tag;
  }

  private static String creds(String user) {
    return user + ":" + PASSWORDS.get(user);
  }

  private RegistryHttp http() {
    return new RegistryHttp(registry.hostPort());
  }

  private HttpRequest.Builder request(String method, String path) {
    return HttpRequest.newBuilder(URI.create(registry.baseUrl() + path)).timeout(Duration.ofSeconds(30))
        .header("Accept", RegistryHttp.ACCEPT_MANIFESTS).method(method, HttpRequest.BodyPublishers.noBody());
  }

  private HttpResponse<String> withBasic(String method, String path, String user) throws Exception {
    return http().send(request(method, path).header("Authorization", basic(user)).build());
  }

  /** The request with a token the issuer grants {@code user} for pull and push on {@code repository}. */
  private HttpResponse<String> withBearer(String method, String path, String user, String repository)
      throws Exception {
    String query = "service=" + encode(SERVICE) + "&scope=" + encode("repository:" + repository + ":pull,push");
    HttpResponse<String> issued = http().send(HttpRequest.newBuilder(URI.create(realm() + "?" + query))
        .timeout(Duration.ofSeconds(30)).header("Authorization", basic(user)).GET().build());
    assertEquals(200, issued.statusCode(), issued.body());
    String token = new JsonObject(issued.body()).getString("token");
    return http().send(request(method, path).header("Authorization", "Bearer " + token).build());
  }

  private static String basic(String user) {
    return "Basic " + Base64.getEncoder().encodeToString(creds(user).getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String errorCode(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getString("code");
  }
}
