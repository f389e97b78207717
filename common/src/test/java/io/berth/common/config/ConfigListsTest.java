package io.berth.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** Every list key reads alike: a YAML sequence or comma-separated text, items trimmed, an empty item refused by key. */
@ExtendWith(VertxExtension.class)
class ConfigListsTest {
  private static final String TLS = """
      version: 0.1
      http:
        tls:
          certificate: /c/server.pem
          key: /c/server.key
      """;
  private static final String TOKEN = """
      version: 0.1
      auth:
        token:
          realm: https://auth.example/token
          service: registry
          issuer: auth
          rootcertbundle: /c/bundle.pem
      """;

  private ConfigFixture fixture;

  @BeforeEach
  void readThroughTheLoader(Vertx vertx, @TempDir Path dir) {
    fixture = new ConfigFixture(vertx, dir);
  }

  @Test
  void cipherSuitesFromOneEnvironmentVariableAreSplitAtCommas() throws IOException {
    RegistryConfig config = fixture.load(TLS, Map.of("REGISTRY_HTTP_TLS_CIPHERSUITES",
        "TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_256_GCM_SHA384"));

    assertEquals(List.of("TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384"),
        config.tls().http().cipherSuites());
  }

  @Test
  void yamlSequenceItemsAreTrimmed() throws IOException {
    RegistryConfig config = fixture.load(TLS + "    ciphersuites: [\" TLS_RSA_WITH_AES_128_GCM_SHA256 \"]\n",
        Map.of());

    assertEquals(List.of("TLS_RSA_WITH_AES_128_GCM_SHA256"), config.tls().http().cipherSuites());
  }

  @Test
  void anEmptyCipherSuiteIsRefusedByKey() throws IOException {
    assertEmptyItemRefused("http.tls.ciphersuites", fixture.refused(TLS, Map.of("REGISTRY_HTTP_TLS_CIPHERSUITES",
        "TLS_RSA_WITH_AES_128_GCM_SHA256,,TLS_RSA_WITH_AES_256_GCM_SHA384")));
  }

  @Test
  void anEmptySigningAlgorithmIsRefusedByKey() throws IOException {
    assertEmptyItemRefused("auth.token.signingalgorithms",
        fixture.refused(TOKEN, Map.of("REGISTRY_AUTH_TOKEN_SIGNINGALGORITHMS", "RS256, ,ES256")));
  }

  @Test
  void anEmptyClusterMemberIsRefusedByKey() throws IOException {
    assertEmptyItemRefused("cluster.members", fixture.refused("version: 0.1\n", Map.of(
        "REGISTRY_CLUSTER_ENABLED", "true", "REGISTRY_CLUSTER_MEMBERS", "127.0.0.1:5701,,127.0.0.1:5702")));
  }

  @Test
  void anEmptyIgnoredMediaTypeIsRefusedByKey() throws IOException {
    assertEmptyItemRefused("notifications.endpoints[0].ignoredmediatypes", fixture.refused("""
        version: 0.1
        notifications:
          endpoints:
            - name: hook
              url: http://127.0.0.1:9/hook
              ignoredmediatypes: "application/octet-stream, , text/plain"
        """, Map.of()));
  }

  @Test
  void aRequiredKeyIsNamed() throws IOException {
    ConfigException error = fixture.refused(TOKEN.replace("    service: registry\n", ""), Map.of());

    assertEquals("auth.token.service: required", error.getMessage());
  }

  private static void assertEmptyItemRefused(String key, ConfigException error) {
    assertEquals(key + ": empty item in the list", error.getMessage());
  }
}
