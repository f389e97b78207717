package io.berth.common.config;

import static io.berth.common.testing.Await.failure;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The layered loader on real files; every environment is an explicit map, never the process environment. */
@ExtendWith(VertxExtension.class)
class ConfigLoaderTest {
  private static final String DISTRIBUTION_CONFIG = """
      version: 0.1
      log:
        level: debug
        formatter: json
      storage:
        filesystem:
          rootdirectory: /var/lib/registry
        delete:
          enabled: true
      http:
        addr: 127.0.0.1:5001
        host: https://registry.example.com/
        prefix: /mirror/
        relativeurls: false
        draintimeout: 10s
        headers:
          X-Content-Type-Options: [nosniff]
          X-Frame-Options: DENY
      """;

  private static final String UNSUPPORTED_SECTIONS = """
      version: 0.1
      storage:
        filesystem:
          rootdirectory: /srv/registry
        cache:
          blobdescriptor: inmemory
      auth:
        htpasswd:
          realm: basic-realm
          path: /auth/htpasswd
      notifications:
        endpoints:
          - name: alistener
            url: https://listener.example.com/event
      health:
        storagedriver:
          enabled: true
      http:
        addr: :5000
        debug:
          addr: :5001
      """;

  private static Vertx vertx;

  @TempDir
  Path dir;

  @BeforeAll
  static void useVertx(Vertx shared) {
    vertx = shared;
  }

  private Path file(String yaml) throws IOException {
    return Files.writeString(dir.resolve("config.yml"), yaml);
  }

  private static RegistryConfig load(Path file, Map<String, String> environment) {
    return result(ConfigLoader.load(vertx, file == null ? null : file.toString(), environment));
  }

  private static ConfigException loadFails(Path file, Map<String, String> environment) {
    return assertInstanceOf(ConfigException.class,
        failure(ConfigLoader.load(vertx, file == null ? null : file.toString(), environment)));
  }

  @Test
  void withoutFileOrEnvironmentTheDefaultsOfDistributionApply() {
    RegistryConfig config = load(null, Map.of());

    assertEquals("0.1", config.version());
    assertEquals(new LogConfig("info", "text"), config.log());
    assertEquals(Path.of("./data"), config.storage().rootDirectory());
    assertFalse(config.storage().deleteEnabled());
    assertEquals(25, config.storage().maxThreads());
    assertEquals("0.0.0.0", config.http().bindHost());
    assertEquals(5000, config.http().port());
    assertEquals("", config.http().prefix());
    assertNull(config.http().publicUrl());
    assertFalse(config.http().relativeUrls());
    assertEquals(Map.of(), config.http().headers());
    assertEquals(Duration.ofSeconds(30), config.http().drainTimeout());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void aDistributionConfigFileSetsEveryKeyItNames() throws IOException {
    RegistryConfig config = load(file(DISTRIBUTION_CONFIG), Map.of());

    assertEquals(new LogConfig("debug", "json"), config.log());
    assertEquals(Path.of("/var/lib/registry"), config.storage().rootDirectory());
    assertTrue(config.storage().deleteEnabled());
    assertEquals("127.0.0.1", config.http().bindHost());
    assertEquals(5001, config.http().port());
    assertEquals("https://registry.example.com", config.http().publicUrl());
    assertEquals("/mirror", config.http().prefix());
    assertEquals(Duration.ofSeconds(10), config.http().drainTimeout());
    assertEquals(Map.of("X-Content-Type-Options", List.of("nosniff"), "X-Frame-Options", List.of("DENY")),
        config.http().headers());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void environmentOverridesWinOverTheFile() throws IOException {
    Path root = dir.resolve("blobs");

    RegistryConfig config = load(file(DISTRIBUTION_CONFIG.replace("enabled: true", "enabled: false")), Map.of(
        "REGISTRY_HTTP_ADDR", "127.0.0.1:5100",
        "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString(),
        "REGISTRY_STORAGE_DELETE_ENABLED", "true",
        "REGISTRY_LOG_LEVEL", "warn"));

    assertEquals("127.0.0.1", config.http().bindHost());
    assertEquals(5100, config.http().port());
    assertEquals(root, config.storage().rootDirectory());
    assertTrue(config.storage().deleteEnabled());
    assertEquals("warn", config.log().level());
    assertEquals("json", config.log().formatter());
    assertEquals("https://registry.example.com", config.http().publicUrl());
  }

  /** distribution's {@code maxthreads}: the size of the storage worker pool, never below 25, as distribution has it. */
  @Test
  void maxThreadsSizesTheStorageWorkersWithDistributionsFloor() throws IOException {
    assertEquals(40, load(file("storage:\n  filesystem:\n    maxthreads: 40\n"), Map.of()).storage().maxThreads());
    assertEquals(64, load(null, Map.of("REGISTRY_STORAGE_FILESYSTEM_MAXTHREADS", "64")).storage().maxThreads());
    assertEquals(25, load(null, Map.of("REGISTRY_STORAGE_FILESYSTEM_MAXTHREADS", "4")).storage().maxThreads());
    assertEquals(25, load(null, Map.of("REGISTRY_STORAGE_FILESYSTEM_MAXTHREADS", "0")).storage().maxThreads());
    assertEquals(List.of(), load(null, Map.of("REGISTRY_STORAGE_FILESYSTEM_MAXTHREADS", "64")).ignored());
  }

  @Test
  void maxThreadsThatIsNoWholeNumberStopsStartupNamingTheKey() {
    ConfigException error = loadFails(null, Map.of("REGISTRY_STORAGE_FILESYSTEM_MAXTHREADS", "many"));

    assertTrue(error.getMessage().startsWith("storage.filesystem.maxthreads: expected a whole number"),
        error.getMessage());
  }

  @Test
  void anEnvironmentListIndexSetsAnEntryOfTheList() {
    RegistryConfig config = load(null, Map.of(
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", "https://listener.example.com/event",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_NAME", "alistener"));

    assertEquals(List.of(), config.ignored());
    assertEquals("alistener", config.notifications().endpoints().get(0).name());
    assertEquals("https://listener.example.com/event", config.notifications().endpoints().get(0).url().toString());
  }

  @Test
  void registryConfigurationPathNamesTheFile() throws IOException {
    Path file = file(DISTRIBUTION_CONFIG);

    RegistryConfig config = load(null, Map.of("REGISTRY_CONFIGURATION_PATH", file.toString()));

    assertEquals(5001, config.http().port());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void anExplicitFileWinsOverRegistryConfigurationPath() throws IOException {
    Path other = Files.writeString(dir.resolve("other.yml"), "http:\n  addr: :6000\n");

    RegistryConfig config = load(file(DISTRIBUTION_CONFIG), Map.of("REGISTRY_CONFIGURATION_PATH", other.toString()));

    assertEquals(5001, config.http().port());
  }

  @Test
  void sectionsNotSupportedYetParseAndAreListedAsIgnored() throws IOException {
    RegistryConfig config = load(file(UNSUPPORTED_SECTIONS), Map.of());

    assertEquals(Path.of("/srv/registry"), config.storage().rootDirectory());
    assertEquals(5000, config.http().port());
    assertEquals(List.of("storage.cache"),
        config.ignored().stream().sorted().toList());
    assertEquals(new AuthConfig.Htpasswd("basic-realm", Path.of("/auth/htpasswd"), LoginThrottleConfig.DEFAULTS),
        config.auth());
  }

  @Test
  void logFieldsComeFromTheFileAndTheEnvironmentAndAreNotIgnored() throws IOException {
    RegistryConfig config = load(file("""
        log:
          fields:
            service: registry
            replica: 2
        """), Map.of("REGISTRY_LOG_FIELDS_ENVIRONMENT", "staging"));

    assertEquals(Map.of("service", "registry", "replica", 2, "environment", "staging"), config.log().fields());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void aLogFieldWithNestedKeysFailsNamingIt() throws IOException {
    ConfigException error = loadFails(file("log:\n  fields:\n    owner:\n      team: platform\n"), Map.of());

    assertTrue(error.getMessage().startsWith("log.fields.owner: "), error.getMessage());
  }

  @Test
  void aMissingFileFailsNamingTheFile() {
    ConfigException error = loadFails(dir.resolve("absent.yml"), Map.of());

    assertTrue(error.getMessage().startsWith("configuration file: cannot read "), error.getMessage());
  }

  @Test
  void unparsableYamlFailsNamingTheFile() throws IOException {
    ConfigException error = loadFails(file("http: [unclosed\n  addr: :5000"), Map.of());

    assertTrue(error.getMessage().startsWith("configuration file: cannot parse "), error.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http.addr              | REGISTRY_HTTP_ADDR                | localhost",
      "http.addr              | REGISTRY_HTTP_ADDR                | :http",
      "http.addr              | REGISTRY_HTTP_ADDR                | :70000",
      "http.net               | REGISTRY_HTTP_NET                 | unix",
      "log.level              | REGISTRY_LOG_LEVEL                | verbose",
      "log.formatter          | REGISTRY_LOG_FORMATTER            | xml",
      "storage.delete.enabled | REGISTRY_STORAGE_DELETE_ENABLED   | maybe",
      "storage.s3.region      | REGISTRY_STORAGE_S3_BUCKET        | images",
      "storage.filesystem.rootdirectory | REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY | ' '",
      "http.prefix            | REGISTRY_HTTP_PREFIX              | mirror",
      "http.host              | REGISTRY_HTTP_HOST                | registry.example.com",
      "http.host              | REGISTRY_HTTP_HOST                | ftp://registry.example.com",
      "http.draintimeout      | REGISTRY_HTTP_DRAINTIMEOUT        | soon",
      "version                | REGISTRY_VERSION                  | 0.2"})
  void aBadValueFailsWithAMessageStartingWithItsKey(String key, String variable, String value) {
    ConfigException error = loadFails(null, Map.of(variable, value));

    assertTrue(error.getMessage().startsWith(key + ": "), error.getMessage());
  }

  @Test
  void aBadValueInTheFileFailsNamingItsKey() throws IOException {
    ConfigException error = loadFails(file(DISTRIBUTION_CONFIG.replace("level: debug", "level: loud")), Map.of());

    assertTrue(error.getMessage().startsWith("log.level: "), error.getMessage());
  }
}
