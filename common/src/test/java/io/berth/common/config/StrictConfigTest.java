package io.berth.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which keys Berth does not act on stop startup and which only warn: a key it skips must never change where images
 * go, who may push or what the registry is. The configurations are those users paste from the articles.
 */
@ExtendWith(VertxExtension.class)
class StrictConfigTest {
  /** The "complete production configuration" of the articles, without its TLS files. */
  private static final String ARTICLE_PRODUCTION = """
      version: 0.1
      log:
        level: info
        fields:
          service: registry
          environment: production
      storage:
        cache:
          blobdescriptor: inmemory
        filesystem:
          rootdirectory: /var/lib/registry
          maxthreads: 100
        delete:
          enabled: true
      http:
        addr: :5000
        secret: asecretforlocaldevelopment
        headers:
          X-Content-Type-Options: [nosniff]
          X-Frame-Options: [DENY]
      auth:
        htpasswd:
          realm: Registry Realm
          path: /auth/htpasswd
      health:
        storagedriver:
          enabled: true
          interval: 10s
          threshold: 3
      compatibility:
        schema1:
          enabled: true
      """;

  private ConfigFixture fixture;

  @BeforeEach
  void readThroughTheLoader(Vertx vertx, @TempDir Path dir) {
    fixture = new ConfigFixture(vertx, dir);
  }

  private String refusal(String yaml, Map<String, String> environment) throws IOException {
    return fixture.refused(yaml, environment).getMessage();
  }

  private String refusal(String yaml) throws IOException {
    return refusal(yaml, Map.of());
  }

  private static String storage(String driverLines) {
    return "version: 0.1\nstorage:\n" + driverLines + "\n";
  }

  @Test
  void theArticlesProductionConfigStartsAndWarnsOnlyAboutKeysThatTune() throws IOException {
    RegistryConfig config = fixture.load(ARTICLE_PRODUCTION, Map.of());

    assertEquals(Path.of("/var/lib/registry"), config.storage().rootDirectory());
    assertEquals(100, config.storage().maxThreads());
    assertEquals(List.of("compatibility", "http.secret", "storage.cache"), config.ignored().stream().sorted().toList());
  }

  @Test
  void aMisspelledFilesystemDriverIsRefusedAsAnUnknownDriver() throws IOException {
    String message = refusal(storage("  filesytem:\n    rootdirectory: /var/lib/registry"));

    assertTrue(message.startsWith("storage.filesytem: unknown storage driver \"filesytem\""), message);
    assertTrue(message.contains("filesystem"), message);
  }

  @Test
  void aDriverDistributionDoesNotKnowIsRefusedAsUnknown() throws IOException {
    String message = refusal(storage("  rados:\n    poolname: radospool\n    username: radosuser"));

    assertTrue(message.startsWith("storage.rados: unknown storage driver \"rados\""), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"azure", "gcs", "swift", "oss", "inmemory"})
  void aDriverOfDistributionThatBerthLacksIsRefusedAsNotSupportedYet(String driver) throws IOException {
    String message = refusal(storage("  " + driver + ":\n    bucket: images"));

    assertTrue(message.startsWith("storage." + driver + ": storage driver " + driver
        + " is not supported by Berth yet"), message);
    assertTrue(message.contains("storage.s3, whose regionendpoint also reaches S3-compatible services (GCS and OSS in "
        + "their S3 interoperability modes"), message);
  }

  @Test
  void anEmptyInmemoryKeyNamesTheInmemoryDriver() throws IOException {
    String message = refusal(storage("  inmemory:"));

    assertTrue(message.startsWith("storage.inmemory: storage driver inmemory is not supported"), message);
  }

  @Test
  void aSecondDriverFromTheEnvironmentIsRefusedInDistributionsWords() throws IOException {
    String message = refusal(storage("  filesystem:\n    rootdirectory: /var/lib/registry"),
        Map.of("REGISTRY_STORAGE_S3_BUCKET", "images"));

    assertTrue(message.startsWith(
        "storage: multiple storage drivers specified in configuration or environment: filesystem, s3"), message);
  }

  @Test
  void distributionsParameterSectionsAreNoDrivers() throws IOException {
    RegistryConfig config = fixture.load(storage(String.join("\n",
        "  filesystem:",
        "    rootdirectory: /srv/registry",
        "  cache:",
        "    blobdescriptor: inmemory",
        "  delete:",
        "    enabled: true",
        "  redirect:",
        "    disable: true",
        "  tag:",
        "    concurrencylimit: 8",
        "  maintenance:",
        "    uploadpurging:",
        "      enabled: false")), Map.of());

    assertEquals(Path.of("/srv/registry"), config.storage().rootDirectory());
    assertEquals(List.of("storage.cache", "storage.tag"), config.ignored().stream().sorted().toList());
    assertTrue(config.storage().redirectDisabled());
  }

  @Test
  void aFilesystemDriverWithoutParametersStoresUnderTheDefaultRoot() throws IOException {
    RegistryConfig config = fixture.load(storage("  filesystem:"), Map.of());

    assertEquals(Path.of("./data"), config.storage().rootDirectory());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void aProxySectionIsRefusedNamingRemoteUrl() throws IOException {
    String message = refusal(storage("  filesystem:\n    rootdirectory: /srv")
        + "proxy:\n  remoteurl: https://registry-1.docker.io\n  username: me\n  password: secret\n");

    assertTrue(message.startsWith("proxy.remoteurl: "), message);
    assertTrue(message.contains("pull-through"), message);
    assertTrue(!message.contains("secret"), message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "auth.silly     | 'auth:\n  silly:\n    realm: test\n    service: test\n'",
      "auth.htpaswd   | 'auth:\n  htpaswd:\n    realm: basic-realm\n    path: /auth/htpasswd\n'",
      "auth.silly     | 'auth:\n  silly:\n'",
      "auth.htpasswd.path | 'auth:\n  htpasswd:\n'",
      "auth.htpasswd.pth  | 'auth:\n  htpasswd:\n    realm: basic-realm\n    path: /auth/htpasswd\n    pth: /x\n'",
      "auth.token.issuers | 'auth:\n  token:\n    realm: https://a/token\n    service: r\n    issuer: i\n    rootcertbundle: /b.pem\n    issuers: [x]\n'"})
  void anUnknownProviderOrKeyUnderAuthIsRefusedNamingIt(String key, String auth) throws IOException {
    String message = refusal("version: 0.1\n" + auth);

    assertTrue(message.startsWith(key + ": "), message);
  }

  @Test
  void aRefusedKeyIsToldWhichKeysBerthReadsBesideIt() throws IOException {
    String message = refusal(storage("  filesystem:\n    rootdir: /srv/registry"));

    assertTrue(message.startsWith("storage.filesystem.rootdir: "), message);
    assertTrue(message.contains("rootdirectory"), message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "storage.delete.enable                     | 'storage:\n  delete:\n    enable: true\n'",
      "storage.maintenance.readonly.enable       | 'storage:\n  maintenance:\n    readonly:\n      enable: true\n'",
      "maintenance.readonly.enable               | 'maintenance:\n  readonly:\n    enable: true\n'",
      "storage.gc.grace                          | 'storage:\n  gc:\n    enabled: true\n    grace: 1h\n'",
      "http.tls.certficate                       | 'http:\n  tls:\n    certficate: /c.pem\n    key: /k.pem\n'",
      "http.tls.key                              | 'http:\n  tls:\n    key: /k.pem\n'",
      "authserver.signing.kye                    | 'authserver:\n  signing:\n    kye: /k.pem\n'",
      "cluster.member                            | 'cluster:\n  member: [10.0.0.1:5701]\n'",
      "storge.filesystem.rootdirectory           | 'storge:\n  filesystem:\n    rootdirectory: /srv\n'"})
  void anUnreadKeyWhereMisreadingIsUnsafeIsRefused(String key, String yaml) throws IOException {
    String message = refusal("version: 0.1\n" + yaml);

    assertTrue(message.startsWith(key + ": "), message);
  }

  @Test
  void keysOfDistributionThatOnlyTuneWarn() throws IOException {
    RegistryConfig config = fixture.load(String.join("\n",
        "version: 0.1",
        "log:",
        "  accesslog:",
        "    disabled: true",
        "  fields:",
        "    service: registry",
        "http:",
        "  secret: s3cret",
        "  http2:",
        "    disabled: true",
        "redis:",
        "  addr: localhost:6379",
        "validation:",
        "  manifests:",
        "    urls:",
        "      allow: ['^https?://example\\.com/']",
        "notifications:",
        "  endpoints:",
        "    - name: ci",
        "      url: https://ci.example.com/hook",
        "      queuesizelimit: 10",
        "middleware:",
        "  registry:",
        "    - name: example",
        "reporting:",
        "  bugsnag:",
        "    apikey: k",
        "catalog:",
        "  maxentries: 100",
        "policy:",
        "  repository:",
        "    classes: [image]",
        ""), Map.of());

    assertEquals(List.of("catalog", "http.http2", "http.secret", "log.accesslog", "middleware",
        "notifications.endpoints[0].queuesizelimit", "policy", "redis", "reporting", "validation"),
        config.ignored().stream().sorted().toList());
  }

  @Test
  void headerValuesFromTheEnvironmentAreYamlListsAsInDistribution() throws IOException {
    RegistryConfig config = fixture.load("version: 0.1\n", Map.of(
        "REGISTRY_HTTP_HEADERS_Access-Control-Allow-Origin", "[http://ui.example.com]",
        "REGISTRY_HTTP_HEADERS_Access-Control-Allow-Methods", "[\"HEAD\", \"GET\", \"OPTIONS\", \"DELETE\"]",
        "REGISTRY_HTTP_HEADERS_Access-Control-Allow-Credentials", "[true]",
        "REGISTRY_HTTP_HEADERS_X-Plain", "one value"));

    assertEquals(Map.of(
        "Access-Control-Allow-Origin", List.of("http://ui.example.com"),
        "Access-Control-Allow-Methods", List.of("HEAD", "GET", "OPTIONS", "DELETE"),
        "Access-Control-Allow-Credentials", List.of("true"),
        "X-Plain", List.of("one value")), config.http().headers());
  }
}
