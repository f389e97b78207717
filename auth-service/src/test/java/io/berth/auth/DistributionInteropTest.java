package io.berth.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.auth.keys.SigningKeyLoader;
import io.berth.common.testing.ChildProcess;
import io.berth.common.testing.DistributionRegistry;
import io.berth.common.testing.OciLayoutWriter;
import io.berth.common.testing.TestImage;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real third-party verifier accepts our tokens: Debian's docker-registry (CNCF distribution 2.8) with
 * {@code auth.token} pointing at the issuer, driven by skopeo. Push and pull through it, login, and refusals.
 */
class DistributionInteropTest {
  private static final Duration SKOPEO_TIMEOUT = Duration.ofSeconds(90);
  private static final String TAG = "1.0";

  @TempDir
  static Path directory;
  private static RunningIssuer issuer;
  private static DistributionRegistry registry;
  private static OciLayoutWriter layout;
  private static TestImage image;
  private static Path policy;
  private static Map<String, String> environment;

  @BeforeAll
  static void start() throws Exception {
    ChildProcess.requireInstalled("skopeo");
    // libtrust key ids, the form 2.8 itself uses; 2.8 takes the key from the x5c chain before it looks at kid.
    issuer = RunningIssuer.start(directory.resolve("issuer"), RunningIssuer.standardSection(
        RunningIssuer.writeUsers(directory)).put("signing", new JsonObject().put("kid", "libtrust")));
    registry = verifier(Files.createDirectories(directory.resolve("registry")), issuer.url("/token"),
        issuer.dataDirectory().resolve(SigningKeyLoader.CERTIFICATE_FILE));
    layout = OciLayoutWriter.create(directory.resolve("image"), 17);
    image = layout.image(TAG, 1, 1024);
    policy = Files.writeString(directory.resolve("policy.json"),
        "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
    Path home = Files.createDirectories(directory.resolve("home"));
    environment = Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", home.toString(),
        "REGISTRY_AUTH_FILE", home.resolve("auth.json").toString());
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  /** distribution with {@code auth.token} pointing at an issuer, storing under {@code dir}. */
  private static DistributionRegistry verifier(Path dir, String realm, Path rootCertBundle) throws Exception {
    return DistributionRegistry.onFilesystem(dir.resolve("storage"))
        .tokenAuth(realm, RunningIssuer.SERVICE, RunningIssuer.ISSUER, rootCertBundle).start(dir);
  }

  private static ChildProcess.Result skopeo(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("skopeo", "--policy", policy.toString()));
    command.addAll(List.of(arguments));
    return ChildProcess.command(command).environment(environment).run(SKOPEO_TIMEOUT);
  }

  private static String creds(String user) {
    return user + ":" + RunningIssuer.PASSWORDS.get(user);
  }

  private static void push(DistributionRegistry target, String user, String repository) throws Exception {
    ChildProcess.Result pushed = skopeo("copy", "--dest-creds", creds(user), "--dest-tls-verify=false",
        layout.reference(TAG), "docker://" + target.hostPort() + "/" + repository + ":" + TAG);
    assertEquals(0, pushed.exitCode(), pushed.output() + "\nregistry log:\n" + target.log());
  }

  private static void assertPullsBackTheSameImage(DistributionRegistry source, String user, String repository)
      throws Exception {
    String reference = "docker://" + source.hostPort() + "/" + repository + ":" + TAG;
    ChildProcess.Result manifest = skopeo("inspect", "--raw", "--creds", creds(user), "--tls-verify=false",
        reference);
    assertEquals(0, manifest.exitCode(), manifest.output());
    assertEquals(new JsonObject(Files.readString(blob(layout.dir(), image.digest()))),
        new JsonObject(manifest.stdout()));
    Path copy = Files.createTempDirectory(directory, "pulled");
    ChildProcess.Result pulled = skopeo("copy", "--src-creds", creds(user), "--src-tls-verify=false",
        reference, "oci:" + copy + ":" + TAG);
    assertEquals(0, pulled.exitCode(), pulled.output() + "\nregistry log:\n" + source.log());
    assertArrayEquals(Files.readAllBytes(blob(layout.dir(), image.image().layers().get(0))),
        Files.readAllBytes(blob(copy, image.image().layers().get(0))));
  }

  private static Path blob(Path dir, String digest) {
    return dir.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
  }

  private static void assertRefused(ChildProcess.Result result) {
    assertNotEquals(0, result.exitCode(), result.output());
    String output = result.output().toLowerCase(Locale.ROOT);
    assertTrue(output.contains("unauthorized") || output.contains("denied"), result.output());
  }

  @Test
  void skopeoLoginGoesThroughTheIssuerAndAWrongPasswordIsRefused() throws Exception {
    Path authFile = directory.resolve("login-auth.json");
    ChildProcess.Result login = skopeo("login", "--tls-verify=false", "--authfile", authFile.toString(),
        "-u", "alice", "-p", RunningIssuer.PASSWORDS.get("alice"), registry.hostPort());
    assertEquals(0, login.exitCode(), login.output() + "\nregistry log:\n" + registry.log());
    assertTrue(login.output().contains("Login Succeeded"), login.output());
    ChildProcess.Result wrong = skopeo("login", "--tls-verify=false", "--authfile",
        directory.resolve("wrong-auth.json").toString(), "-u", "alice", "-p", "not-her-password",
        registry.hostPort());
    assertNotEquals(0, wrong.exitCode(), wrong.output());
    ChildProcess.Result pushedWithLogin = skopeo("copy", "--dest-authfile", authFile.toString(),
        "--dest-tls-verify=false", layout.reference(TAG),
        "docker://" + registry.hostPort() + "/alice/logged-in:" + TAG);
    assertEquals(0, pushedWithLogin.exitCode(), pushedWithLogin.output() + "\nregistry log:\n" + registry.log());
    assertTrue(registry.hasRepository("alice/logged-in"));
  }

  @Test
  void aUserPushesIntoTheirOwnNamespaceAndPullsTheSameImageBack() throws Exception {
    push(registry, "alice", "alice/app");
    assertTrue(registry.hasRepository("alice/app"));
    assertPullsBackTheSameImage(registry, "alice", "alice/app");
  }

  @Test
  void anotherAccountCanNeitherPushIntoNorPullFromSomeoneElsesNamespace() throws Exception {
    push(registry, "alice", "alice/private");
    String reference = "docker://" + registry.hostPort() + "/alice/private:" + TAG;
    assertRefused(skopeo("copy", "--dest-creds", creds("bob"), "--dest-tls-verify=false", layout.reference(TAG),
        "docker://" + registry.hostPort() + "/alice/intruder:" + TAG));
    assertFalse(registry.hasRepository("alice/intruder"));
    assertRefused(skopeo("inspect", "--raw", "--creds", creds("bob"), "--tls-verify=false", reference));
    assertRefused(skopeo("inspect", "--raw", "--no-creds", "--tls-verify=false", reference));
  }

  @Test
  void aPullOnlyAccountIsRefusedPushing() throws Exception {
    assertRefused(skopeo("copy", "--dest-creds", creds("bob"), "--dest-tls-verify=false", layout.reference(TAG),
        "docker://" + registry.hostPort() + "/shared/tools:" + TAG));
    assertFalse(registry.hasRepository("shared/tools"));
  }

  @Test
  void es256TokensSignedByACaIssuedLeafVerifyAgainstABundleHoldingOnlyTheCa() throws Exception {
    KeyPair caKeys = TestCertificates.ecKeys();
    KeyPair leafKeys = TestCertificates.ecKeys();
    X509Certificate ca = TestCertificates.certificate("Interop CA", caKeys, "Interop CA", caKeys, true);
    X509Certificate leaf = TestCertificates.certificate("berth tokens", leafKeys, "Interop CA", caKeys, false);
    Path keys = Files.createDirectories(directory.resolve("es256"));
    Path key = TestCertificates.writeOpensslEcKey(keys.resolve("signer.key"), leafKeys);
    Path chain = TestCertificates.writePem(keys.resolve("signer.crt"), leaf, ca);
    Path bundle = TestCertificates.writePem(keys.resolve("bundle.crt"), ca);
    try (RunningIssuer es256 = RunningIssuer.start(keys.resolve("issuer"), RunningIssuer.standardSection(
        RunningIssuer.writeUsers(keys)).put("signing", new JsonObject().put("algorithm", "ES256")
        .put("key", key.toString()).put("certificate", chain.toString())));
         DistributionRegistry verifier = verifier(Files.createDirectories(keys.resolve("registry")),
             es256.url("/token"), bundle)) {
      push(verifier, "alice", "alice/es256");
      assertPullsBackTheSameImage(verifier, "alice", "alice/es256");
      assertRefused(skopeo("copy", "--dest-creds", creds("bob"), "--dest-tls-verify=false", layout.reference(TAG),
          "docker://" + verifier.hostPort() + "/alice/es256-intruder:" + TAG));
    }
  }
}
