package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.config.ConfigException;
import io.berth.common.config.RegistryConfig;
import io.berth.common.testing.FreePorts;
import io.berth.launcher.EmbeddedRegistry;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/**
 * Berth's HTTPS servers seen by JDK clients: protocol versions from {@code minimumtls} up and distribution's cipher
 * suites, client certificates verified against {@code clientcas} (required, or only checked when given), the token
 * issuer over {@code authserver.tls}, and startup refused with the key named when a file is wrong.
 */
class TlsServerTest {
  private static final List<String> DISTRIBUTION_TLS12_SUITES = List.of(
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

  @TempDir
  static Path pki;
  private static TestCertificates.Identity ca;
  private static Path certificate;
  private static Path key;

  @TempDir
  Path temp;
  private RunningRegistry registry;

  /** An RSA server key, where the end-to-end test uses EC: both kinds of distribution's suites get exercised. */
  @BeforeAll
  static void writeServerCertificate() throws Exception {
    ca = TestCertificates.ca("Berth Test CA");
    TestCertificates.server(ca, true).write(pki.resolve("server"), "server.crt", "server.key");
    certificate = pki.resolve("server/server.crt");
    key = pki.resolve("server/server.key");
  }

  @AfterEach
  void stopRegistry() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private void start(Map<String, String> extra) throws Exception {
    registry = RunningRegistry.start(temp.resolve("storage"), tls(extra));
  }

  private Map<String, String> tls(Map<String, String> extra) {
    Map<String, String> environment = new HashMap<>(Map.of(
        "REGISTRY_HTTP_TLS_CERTIFICATE", certificate.toString(),
        "REGISTRY_HTTP_TLS_KEY", key.toString()));
    environment.putAll(extra);
    return environment;
  }

  private Path clientCas(TestCertificates.Identity... cas) throws IOException {
    StringBuilder bundle = new StringBuilder();
    for (TestCertificates.Identity authority : cas) {
      bundle.append(TestCertificates.pem(authority.certificate()));
    }
    return Files.writeString(temp.resolve("client-cas.pem"), bundle);
  }

  private HttpResponse<String> get(SSLContext context, String url) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
        .connectTimeout(Duration.ofSeconds(10)).build();
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> versionCheck(TestCertificates.Identity clientIdentity) throws Exception {
    return get(TestCertificates.context(ca, clientIdentity, "TLS"), "https://" + registry.hostPort() + "/v2/");
  }

  @Test
  void byDefaultTls12IsServedWithOneOfDistributionsCipherSuites() throws Exception {
    start(Map.of());

    try (SSLSocket socket = TestCertificates.handshake(TestCertificates.context(ca, null, "TLSv1.2"),
        registry.port(), "TLSv1.2")) {
      assertEquals("TLSv1.2", socket.getSession().getProtocol());
      assertTrue(DISTRIBUTION_TLS12_SUITES.contains(socket.getSession().getCipherSuite()),
          socket.getSession().getCipherSuite());
    }
    assertEquals(200, versionCheck(null).statusCode());
  }

  @Test
  void aCipherSuiteOutsideDistributionsDefaultsIsRefused() throws Exception {
    start(Map.of());
    SSLContext context = TestCertificates.context(ca, null, "TLSv1.2");

    assertThrows(SSLHandshakeException.class, () -> {
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", registry.port())) {
        socket.setEnabledProtocols(new String[] {"TLSv1.2"});
        socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"});
        socket.startHandshake();
      }
    });
  }

  @Test
  void minimumTls13RefusesATls12OnlyClientAndServesATls13One() throws Exception {
    start(Map.of("REGISTRY_HTTP_TLS_MINIMUMTLS", "tls1.3"));

    assertThrows(SSLHandshakeException.class,
        () -> TestCertificates.handshake(TestCertificates.context(ca, null, "TLSv1.2"), registry.port(), "TLSv1.2")
            .close());
    try (SSLSocket socket = TestCertificates.handshake(TestCertificates.context(ca, null, "TLSv1.3"),
        registry.port(), "TLSv1.3")) {
      assertEquals("TLSv1.3", socket.getSession().getProtocol());
    }
    assertEquals(200, versionCheck(null).statusCode());
  }

  @Test
  void withClientCasOnlyAClientCertificateSignedByThemIsServed() throws Exception {
    TestCertificates.Identity otherCa = TestCertificates.ca("Some Other CA");
    start(Map.of("REGISTRY_HTTP_TLS_CLIENTCAS_0", clientCas(ca).toString()));

    assertInstanceOf(IOException.class, assertThrows(Exception.class, () -> versionCheck(null)));
    assertInstanceOf(IOException.class, assertThrows(Exception.class,
        () -> versionCheck(TestCertificates.client(otherCa, "mallory"))));
    assertEquals(200, versionCheck(TestCertificates.client(ca, "alice")).statusCode());
  }

  @Test
  void verifyClientCertIfGivenServesClientsWithoutOneButRefusesAnUntrustedOne() throws Exception {
    TestCertificates.Identity otherCa = TestCertificates.ca("Some Other CA");
    start(Map.of("REGISTRY_HTTP_TLS_CLIENTCAS_0", clientCas(ca).toString(),
        "REGISTRY_HTTP_TLS_CLIENTAUTH", "verify-client-cert-if-given"));

    assertEquals(200, versionCheck(null).statusCode());
    assertEquals(200, versionCheck(TestCertificates.client(ca, "alice")).statusCode());
    assertInstanceOf(IOException.class, assertThrows(Exception.class,
        () -> versionCheck(TestCertificates.client(otherCa, "mallory"))));
  }

  @Test
  void theTokenIssuerServesTokensOverItsOwnTls() throws Exception {
    int issuerPort = FreePorts.onLoopback();
    Path users = Files.writeString(temp.resolve("users"), "alice:" + BCrypt.hashpw("s3cret", BCrypt.gensalt(4)));
    Path config = Files.writeString(temp.resolve("config.yml"), String.join("\n",
        "version: 0.1",
        "authserver:",
        "  addr: 127.0.0.1:" + issuerPort,
        "  service: berth-tls",
        "  users: " + users,
        "  acl:",
        "    - match: {account: alice, name: \"alice/*\"}",
        "      actions: [\"*\"]",
        "  tls:",
        "    certificate: " + certificate,
        "    key: " + key,
        ""));
    registry = RunningRegistry.start(temp.resolve("storage"), Map.of("REGISTRY_CONFIGURATION_PATH", config.toString()));
    String tokenUrl = "https://127.0.0.1:" + issuerPort + "/token?service=berth-tls&scope=repository:alice/app:pull";
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(TestCertificates.context(ca, null, "TLS")).build();

    HttpResponse<String> issued = client.send(HttpRequest.newBuilder(URI.create(tokenUrl))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            "alice:s3cret".getBytes(StandardCharsets.UTF_8)))
        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(200, issued.statusCode(), issued.body());
    assertNotNull(new JsonObject(issued.body()).getString("token"));
    assertInstanceOf(IOException.class, assertThrows(Exception.class, () -> HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(tokenUrl.replace("https:", "http:"))).timeout(Duration.ofSeconds(10))
            .GET().build(), HttpResponse.BodyHandlers.ofString())));
  }

  @Test
  void startupNamesTheKeyOfAMissingCertificate() throws Exception {
    assertStartupRefused("http.tls.certificate: cannot read " + temp.resolve("absent.crt"),
        tls(Map.of("REGISTRY_HTTP_TLS_CERTIFICATE", temp.resolve("absent.crt").toString())));
  }

  @Test
  void startupNamesTheKeyOfAFileThatHoldsNoCertificate() throws Exception {
    assertStartupRefused("http.tls.certificate: no PEM certificate in " + key,
        tls(Map.of("REGISTRY_HTTP_TLS_CERTIFICATE", key.toString())));
  }

  @Test
  void startupNamesTheKeyOfAnUnreadablePrivateKey() throws Exception {
    Path garbage = Files.writeString(temp.resolve("garbage.key"), "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n"
        + "-----END PRIVATE KEY-----\n");

    assertStartupRefused("http.tls.key: no usable private key in " + garbage,
        tls(Map.of("REGISTRY_HTTP_TLS_KEY", garbage.toString())));
  }

  @Test
  void startupNamesTheKeyOfAPrivateKeyOfAnotherCertificate() throws Exception {
    TestCertificates.server(ca, true).write(temp.resolve("other"), "other.crt", "other.key");
    Path otherKey = temp.resolve("other/other.key");

    assertStartupRefused("http.tls.key: the private key in " + otherKey + " does not belong to the certificate in "
        + certificate, tls(Map.of("REGISTRY_HTTP_TLS_KEY", otherKey.toString())));
  }

  @Test
  void startupNamesTheKeyOfAClientCaFileWithoutCertificates() throws Exception {
    assertStartupRefused("http.tls.clientcas: no PEM certificate in " + key,
        tls(Map.of("REGISTRY_HTTP_TLS_CLIENTCAS_0", key.toString())));
  }

  @Test
  void startupNamesTheKeyOfTheTokenIssuersMissingKey() throws Exception {
    assertStartupRefused("authserver.tls.key: cannot read " + temp.resolve("absent.key"), Map.of(
        "REGISTRY_AUTHSERVER_ADDR", "127.0.0.1:0",
        "REGISTRY_AUTHSERVER_TLS_CERTIFICATE", certificate.toString(),
        "REGISTRY_AUTHSERVER_TLS_KEY", temp.resolve("absent.key").toString()));
  }

  /** The registry does not start, and the error it fails with begins with the key and the file to fix. */
  private void assertStartupRefused(String expectedStart, Map<String, String> environment) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      RegistryConfig config = RunningRegistry.config(vertx, temp.resolve("storage"), environment);
      Throwable failure = EmbeddedRegistry.start(vertx, config).transform(started -> io.vertx.core.Future
          .succeededFuture(started.cause())).await(30, TimeUnit.SECONDS);
      ConfigException error = assertInstanceOf(ConfigException.class, failure);
      assertTrue(error.getMessage().startsWith(expectedStart), error.getMessage());
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
