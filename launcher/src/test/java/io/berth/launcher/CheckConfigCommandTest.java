package io.berth.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code registry check-config}: the configuration {@code serve} would run with, printed with its secrets masked, and
 * the configurations users paste from the articles with a typo refused with one line naming the key.
 */
class CheckConfigCommandTest {
  /** The articles' production configuration, with a webhook and the storage under the test's directory. */
  private static final String GOOD = """
      version: 0.1
      log:
        level: info
        fields:
          service: registry
      storage:
        cache:
          blobdescriptor: inmemory
        filesystem:
          rootdirectory: ROOT
        delete:
          enabled: true
      http:
        addr: :5000
        secret: asecretforlocaldevelopment
        headers:
          X-Content-Type-Options: [nosniff]
      auth:
        htpasswd:
          realm: Registry Realm
          path: /auth/htpasswd
      notifications:
        endpoints:
          - name: ci
            url: https://ci.example.com/event
            headers:
              Authorization: [Bearer webhook-token]
      """;

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> environment, String... args) {
    return CheckConfigCommand.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path config(String yaml) throws IOException {
    return Files.writeString(dir.resolve("config.yml"), yaml.replace("ROOT", dir.resolve("storage").toString()));
  }

  @Test
  void aGoodConfigPrintsTheEffectiveConfigurationWithSecretsMaskedAndEachWarning() throws IOException {
    int status = run(Map.of("REGISTRY_HTTP_ADDR", "127.0.0.1:5100"), config(GOOD).toString());

    assertEquals(0, status, stderr());
    JsonObject printed = new JsonObject(new Yaml(new SafeConstructor(new LoaderOptions())).<Map<String, Object>>load(
        stdout()));
    assertEquals("127.0.0.1:5100", printed.getJsonObject("http").getString("addr"));
    assertEquals("<masked>", printed.getJsonObject("http").getString("secret"));
    assertEquals(dir.resolve("storage").toString(),
        printed.getJsonObject("storage").getJsonObject("filesystem").getString("rootdirectory"));
    assertEquals("<masked>", printed.getJsonObject("notifications").getJsonArray("endpoints").getJsonObject(0)
        .getJsonObject("headers").getJsonArray("Authorization").getString(0));
    assertFalse(stdout().contains("asecretforlocaldevelopment") || stdout().contains("webhook-token"), stdout());
    assertEquals(String.join("\n",
        "warning: storage.cache: not supported by Berth yet, ignored",
        "warning: http.secret: not supported by Berth yet, ignored",
        ""), stderr());
  }

  @Test
  void jsonIsPrintedOnRequest() throws IOException {
    int status = run(Map.of(), "--format", "json", config(GOOD).toString());

    assertEquals(0, status, stderr());
    assertEquals("<masked>", new JsonObject(stdout()).getJsonObject("http").getString("secret"));
  }

  @Test
  void aValueIsPrintedAsWrittenInTheFileOrTheEnvironment() throws IOException {
    String yaml = """
        storage:
          filesystem:
            rootdirectory: ROOT
            maxthreads: 40
          delete:
            enabled: yes
        auth:
          token:
            realm: 1.50
            service: 0042
            issuer: 2001-12-14
            rootcertbundle: /certs/bundle.pem
        """;
    Map<String, String> environment = Map.of("REGISTRY_HTTP_PREFIX", "/0x1F/", "REGISTRY_HTTP_RELATIVEURLS", "TRUE",
        "REGISTRY_HTTP_DRAINTIMEOUT", "10");

    assertEquals(0, run(environment, config(yaml).toString()), stderr());
    List<String> lines = stdout().lines().map(String::trim).toList();
    assertTrue(lines.containsAll(List.of("maxthreads: 40", "enabled: yes", "realm: 1.50", "service: '0042'",
        "issuer: '2001-12-14'", "prefix: /0x1F/", "relativeurls: TRUE", "draintimeout: 10")), stdout());

    out.reset();
    assertEquals(0, run(environment, "--format", "json", config(yaml).toString()), stderr());
    JsonObject json = new JsonObject(stdout());
    assertEquals(new JsonObject().put("realm", "1.50").put("service", "0042").put("issuer", "2001-12-14")
        .put("rootcertbundle", "/certs/bundle.pem"), json.getJsonObject("auth").getJsonObject("token"));
    assertEquals(new JsonObject().put("prefix", "/0x1F/").put("relativeurls", "TRUE").put("draintimeout", 10),
        json.getJsonObject("http"));
    assertEquals(40, json.getJsonObject("storage").getJsonObject("filesystem").getValue("maxthreads"));
    assertEquals("yes", json.getJsonObject("storage").getJsonObject("delete").getValue("enabled"));
  }

  /** distribution's own example of an HTTP health check sends Basic credentials in a header. */
  @Test
  void theHeadersOfAnHttpHealthCheckAreMaskedAsAWebhooksAre() throws IOException {
    String yaml = """
        storage:
          filesystem:
            rootdirectory: ROOT
        health:
          http:
            - uri: http://127.0.0.1:9/health
              headers:
                Authorization: [Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==]
        """;

    for (String format : List.of("yaml", "json")) {
      out.reset();
      assertEquals(0, run(Map.of(), "--format", format, config(yaml).toString()), stderr());
      assertFalse(stdout().contains("QWxhZGRpbjpvcGVuIHNlc2FtZQ=="), stdout());
      assertTrue(stdout().contains("<masked>"), stdout());
    }
  }

  @Test
  void withoutFileOrEnvironmentTheConfigurationIsEmptyAndGood() {
    assertEquals(0, run(Map.of()), stderr());
    assertEquals("{}\n", stdout());
    assertEquals("", stderr());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "storage.filesytem: unknown storage driver | 'storage:\n  filesytem:\n    rootdirectory: /var/lib/registry\n'",
      "storage.rados: unknown storage driver     | 'storage:\n  rados:\n    poolname: radospool\n'",
      "storage.azure: storage driver azure is not supported by Berth yet | 'storage:\n  azure:\n    accountname: a\n'",
      "storage.s3.region: no region parameter provided | 'storage:\n  s3:\n    bucket: images\n'",
      "proxy.remoteurl: Berth cannot be a pull-through cache | 'proxy:\n  remoteurl: https://registry-1.docker.io\n'",
      "auth.silly: authentication provider not supported | 'auth:\n  silly:\n    realm: r\n    service: s\n'",
      "auth.htpasswd.pth: Berth does not act on this key | 'auth:\n  htpasswd:\n    realm: r\n    pth: /auth/htpasswd\n    path: /a\n'"})
  void aMisspelledOrUnsupportedKeyExitsOneWithOneLineNamingIt(String expected, String yaml) throws IOException {
    int status = run(Map.of(), config("version: 0.1\n" + yaml).toString());

    assertEquals(1, status);
    assertEquals("", stdout());
    assertTrue(stderr().startsWith("configuration error: " + expected), stderr());
    assertEquals(1, stderr().lines().count(), stderr());
  }

  @Test
  void aSecondDriverFromTheEnvironmentIsRefused() throws IOException {
    int status = run(Map.of("REGISTRY_STORAGE_S3_BUCKET", "images"), config(GOOD).toString());

    assertEquals(1, status);
    assertTrue(stderr().startsWith("configuration error: storage: multiple storage drivers specified in configuration "
        + "or environment: filesystem, s3"), stderr());
  }

  @Test
  void serveFlagsAreTheTopLayerAsForServe() throws IOException {
    int status = run(Map.of(), "--cluster", "--services", "gateway", config(GOOD).toString());

    assertEquals(0, status, stderr());
    JsonObject cluster = new JsonObject(new Yaml(new SafeConstructor(new LoaderOptions())).<Map<String, Object>>load(
        stdout())).getJsonObject("cluster");
    assertEquals(new JsonObject().put("enabled", true).put("services", "gateway"), cluster);
  }

  @Test
  void aBadCommandLineExitsTwoWithTheUsage() {
    assertEquals(2, run(Map.of(), "--format", "xml"));
    assertEquals(2, run(Map.of(), "a.yml", "b.yml"));
    assertEquals(2, run(Map.of(), "--verbose"));
    assertTrue(stderr().contains("usage: registry check-config"), stderr());
  }

  @Test
  void aMissingFileExitsOne() {
    assertEquals(1, run(Map.of(), dir.resolve("absent.yml").toString()));
    assertTrue(stderr().startsWith("configuration error: configuration file: cannot read "), stderr());
  }
}
