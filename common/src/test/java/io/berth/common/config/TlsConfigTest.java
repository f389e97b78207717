package io.berth.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** distribution's {@code http.tls} and Berth's {@code authserver.tls}: parsed, defaulted and checked by key. */
class TlsConfigTest {
  private static final Map<String, String> CERTIFICATE_AND_KEY = Map.of(
      "REGISTRY_HTTP_TLS_CERTIFICATE", "/certs/registry.crt",
      "REGISTRY_HTTP_TLS_KEY", "/certs/registry.key");

  private static RegistryConfig parse(String json) {
    return ConfigParser.parse(new JsonObject(json));
  }

  private static RegistryConfig withTls(Map<String, String> extra) {
    Map<String, String> environment = new HashMap<>(CERTIFICATE_AND_KEY);
    environment.putAll(extra);
    return ConfigParser.parse(EnvironmentOverrides.apply(new JsonObject(), environment));
  }

  @Test
  void withoutATlsSectionBothServersSpeakPlainHttp() {
    TlsConfig tls = parse("{}").tls();

    assertNull(tls.http());
    assertNull(tls.authServer());
  }

  @Test
  void aCertificateAndKeyAloneMeanTls12AndUpWithoutClientCertificates() {
    TlsConfig.ServerTls http = withTls(Map.of()).tls().http();

    assertEquals(new TlsConfig.ServerTls("http.tls", Path.of("/certs/registry.crt"), Path.of("/certs/registry.key"),
        List.of(), true, "tls1.2", List.of()), http);
  }

  @Test
  void aDistributionTlsSectionSetsClientCasMinimumVersionAndCipherSuites() {
    RegistryConfig config = parse("""
        {"http": {"tls": {"certificate": "/c/server.pem", "key": "/c/server.key",
          "clientcas": ["/c/ca1.pem", "/c/ca2.pem"], "clientauth": "verify-client-cert-if-given",
          "minimumtls": "tls1.3", "ciphersuites": ["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"]}}}""");

    assertEquals(new TlsConfig.ServerTls("http.tls", Path.of("/c/server.pem"), Path.of("/c/server.key"),
        List.of(Path.of("/c/ca1.pem"), Path.of("/c/ca2.pem")), false, "tls1.3",
        List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")), config.tls().http());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void oneClientCaFromAnEnvironmentListIndexIsAListOfOne() {
    TlsConfig.ServerTls http = withTls(Map.of("REGISTRY_HTTP_TLS_CLIENTCAS_0", "/c/ca.pem")).tls().http();

    assertEquals(List.of(Path.of("/c/ca.pem")), http.clientCas());
  }

  @Test
  void anEmptyCertificateLeavesTlsOffAsDistributionDoes() {
    assertNull(withTls(Map.of("REGISTRY_HTTP_TLS_CERTIFICATE", "")).tls().http());
  }

  @Test
  void theTokenIssuerHasItsOwnSectionWithTheSameKeys() {
    RegistryConfig config = parse("""
        {"authserver": {"addr": "127.0.0.1:5001",
          "tls": {"certificate": "/c/issuer.pem", "key": "/c/issuer.key", "minimumtls": "tls1.3"}}}""");

    assertNull(config.tls().http());
    assertEquals(new TlsConfig.ServerTls("authserver.tls", Path.of("/c/issuer.pem"), Path.of("/c/issuer.key"),
        List.of(), true, "tls1.3", List.of()), config.tls().authServer());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http.tls.minimumtls   | REGISTRY_HTTP_TLS_MINIMUMTLS             | tls1.4",
      "http.tls.minimumtls   | REGISTRY_HTTP_TLS_MINIMUMTLS             | TLSv1.2",
      "http.tls.ciphersuites | REGISTRY_HTTP_TLS_CIPHERSUITES_0         | TLS_RSA_WITH_RC4_128_SHA",
      "http.tls.clientauth   | REGISTRY_HTTP_TLS_CLIENTAUTH             | require-any-client-cert",
      "http.tls.clientauth   | REGISTRY_HTTP_TLS_CLIENTAUTH             | always",
      "http.tls.key          | REGISTRY_HTTP_TLS_KEY                    | ''",
      "http.tls.letsencrypt  | REGISTRY_HTTP_TLS_LETSENCRYPT_CACHEFILE  | /cache",
      "authserver.tls.minimumtls | REGISTRY_AUTHSERVER_TLS_MINIMUMTLS   | ssl3"})
  void aBadValueFailsNamingItsKey(String key, String variable, String value) {
    Map<String, String> environment = new HashMap<>(Map.of(variable, value));
    if (variable.startsWith("REGISTRY_AUTHSERVER")) {
      environment.put("REGISTRY_AUTHSERVER_TLS_CERTIFICATE", "/c/issuer.pem");
      environment.put("REGISTRY_AUTHSERVER_TLS_KEY", "/c/issuer.key");
    }
    ConfigException error = assertThrows(ConfigException.class, () -> withTls(environment));

    assertTrue(error.getMessage().startsWith(key + ": "), error.getMessage());
  }

  @Test
  void aKeyWithoutACertificateStopsStartupRatherThanServePlainHttp() {
    ConfigException error = assertThrows(ConfigException.class, () -> ConfigParser.parse(
        EnvironmentOverrides.apply(new JsonObject(), Map.of("REGISTRY_HTTP_TLS_KEY", "/c/server.key"))));

    assertTrue(error.getMessage().startsWith("http.tls.key: "), error.getMessage());
  }

  @Test
  void anEmptyCertificateTurnsTlsOffWithoutWarningAboutTheOtherKeys() {
    RegistryConfig config = withTls(Map.of("REGISTRY_HTTP_TLS_CERTIFICATE", "", "REGISTRY_HTTP_TLS_MINIMUMTLS", "x"));

    assertNull(config.tls().http());
    assertEquals(List.of(), config.ignored());
  }
}
