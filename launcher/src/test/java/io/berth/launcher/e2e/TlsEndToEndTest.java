package io.berth.launcher.e2e;

import static io.berth.launcher.e2e.ImageAssertions.assertPulledUnchanged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.ChildProcess;
import io.berth.common.testing.OciLayoutWriter;
import io.berth.common.testing.TestImage;
import io.berth.launcher.RunningRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo against an all-in-one Berth serving HTTPS with a certificate from a self-signed CA: skopeo verifies the
 * registry against the CA in its certificate directory ({@code ca.crt}), and with {@code http.tls.clientcas} the
 * registry verifies skopeo's {@code client.cert} in turn (mutual TLS).
 */
class TlsEndToEndTest {
  private static final int LAYER_BYTES = 64 * 1024;

  @TempDir
  Path temp;
  private TestCertificates.Identity ca;
  private Path serverFiles;
  private Path trustingCertDir;
  private TestImage image;
  private Skopeo skopeo;
  private RunningRegistry registry;

  @BeforeEach
  void writeCertificatesAndImage() throws Exception {
    ChildProcess.requireInstalled("skopeo");
    ca = TestCertificates.ca("Berth Test CA");
    serverFiles = temp.resolve("server");
    TestCertificates.server(ca, false).write(serverFiles, "server.crt", "server.key");
    trustingCertDir = Files.createDirectories(temp.resolve("certs-trusting"));
    Files.writeString(trustingCertDir.resolve("ca.crt"), TestCertificates.pem(ca.certificate()));
    image = OciLayoutWriter.create(temp.resolve("images"), 41).image("1.0", 2, LAYER_BYTES);
    skopeo = new Skopeo(temp.resolve("skopeo"));
  }

  @AfterEach
  void stopRegistry() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private void start(Map<String, String> extra) throws Exception {
    Map<String, String> environment = new HashMap<>(Map.of(
        "REGISTRY_HTTP_TLS_CERTIFICATE", serverFiles.resolve("server.crt").toString(),
        "REGISTRY_HTTP_TLS_KEY", serverFiles.resolve("server.key").toString()));
    environment.putAll(extra);
    registry = RunningRegistry.start(temp.resolve("storage"), environment);
  }

  private String reference(String repository) {
    return registry.hostPort() + "/" + repository + ":" + image.tag();
  }

  @Test
  void skopeoPushesAndPullsOverTlsTrustingTheCaInItsCertDir() throws Exception {
    start(Map.of());
    Skopeo verifying = skopeo.verifyingTlsWith(trustingCertDir);

    verifying.push(temp.resolve("images"), image.tag(), reference("e2e/tls"));

    assertPulledUnchanged(image, verifying.pull(reference("e2e/tls"), temp.resolve("pulled"), image.tag()));
  }

  @Test
  void locationHeadersOfAnHttpsRegistryAreHttpsUrls() throws Exception {
    start(Map.of());
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(TestCertificates.context(ca, null, "TLS")).build();

    HttpResponse<String> started = client.send(HttpRequest.newBuilder(
            URI.create("https://" + registry.hostPort() + "/v2/e2e/tls/blobs/uploads/"))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals(202, started.statusCode(), started.body());
    String location = started.headers().firstValue("Location").orElse("");
    assertTrue(location.startsWith("https://" + registry.hostPort() + "/v2/e2e/tls/blobs/uploads/"), location);
  }

  @Test
  void skopeoRefusesTheRegistryWhenItsCertDirLacksTheCa() throws Exception {
    start(Map.of());
    Path emptyCertDir = Files.createDirectories(temp.resolve("certs-empty"));

    ChildProcess.Result push = skopeo.verifyingTlsWith(emptyCertDir)
        .attemptPush(temp.resolve("images"), image.tag(), reference("e2e/untrusted"));

    assertFailed(push, "certificate signed by unknown authority");
  }

  @Test
  void withClientCasTheRegistryRefusesSkopeoWithoutAClientCertificateAndServesItWithOne() throws Exception {
    Path clientCas = Files.writeString(temp.resolve("client-ca.pem"), TestCertificates.pem(ca.certificate()));
    start(Map.of("REGISTRY_HTTP_TLS_CLIENTCAS_0", clientCas.toString()));
    Path clientCertDir = Files.createDirectories(temp.resolve("certs-client"));
    Files.copy(trustingCertDir.resolve("ca.crt"), clientCertDir.resolve("ca.crt"));
    TestCertificates.client(ca, "skopeo").write(clientCertDir, "client.cert", "client.key");

    ChildProcess.Result anonymous = skopeo.verifyingTlsWith(trustingCertDir)
        .attemptPush(temp.resolve("images"), image.tag(), reference("e2e/mtls"));
    Skopeo identified = skopeo.verifyingTlsWith(clientCertDir);
    identified.push(temp.resolve("images"), image.tag(), reference("e2e/mtls"));

    assertFailed(anonymous, "remote error: tls: bad certificate");
    assertPulledUnchanged(image, identified.pull(reference("e2e/mtls"), temp.resolve("pulled"), image.tag()));
  }

  private static void assertFailed(ChildProcess.Result result, String reason) {
    assertNotEquals(0, result.exitCode(), () -> String.join(" ", result.command()) + " succeeded but should have "
        + "failed\nstdout: " + result.stdout());
    assertTrue(result.stderr().contains(reason), () -> String.join(" ", result.command())
        + " failed, but without saying \"" + reason + "\"\nstderr: " + result.stderr());
  }
}
