package io.berth.common.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Parses distribution's {@code http.tls} and Berth's {@code authserver.tls}. As in distribution, a section without a
 * certificate means plain HTTP; Let's Encrypt and the client-auth modes that skip verification are refused.
 */
final class TlsConfigParser {
  /** The cipher suites distribution accepts in {@code http.tls.ciphersuites} (registry/registry.go). */
  static final Set<String> CIPHER_SUITES = Set.of(
      "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA",
      "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
      "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
  private static final String REQUIRE_AND_VERIFY = "require-and-verify-client-cert";
  private static final String VERIFY_IF_GIVEN = "verify-client-cert-if-given";

  private TlsConfigParser() {
  }

  static TlsConfig parse(ConfigReader reader) {
    return new TlsConfig(server(reader, "http.tls"), server(reader, "authserver.tls"));
  }

  private static TlsConfig.ServerTls server(ConfigReader reader, String section) {
    Object value = reader.peek(section);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject)) {
      throw new ConfigException(section, "expected a section of keys, got \"" + value + "\"");
    }
    if (reader.peek(section + ".letsencrypt") != null) {
      throw new ConfigException(section + ".letsencrypt", "Let's Encrypt is not supported; set certificate and key");
    }
    String certificate = reader.string(section + ".certificate", null);
    if (certificate == null) {
      return null;
    }
    if (certificate.isBlank()) {
      // An empty certificate turns TLS off, as in distribution (an environment variable can blank the file's): the
      // section's other keys are moot then, not misread.
      ((JsonObject) value).fieldNames().forEach(name -> reader.value(section + "." + name));
      return null;
    }
    String key = reader.string(section + ".key", null);
    if (key == null || key.isBlank()) {
      throw new ConfigException(section + ".key", "required with " + section + ".certificate");
    }
    String minimum = reader.string(section + ".minimumtls", "tls1.2");
    if (!TlsConfig.VERSIONS.contains(minimum)) {
      throw new ConfigException(section + ".minimumtls", "expected one of " + String.join(", ", TlsConfig.VERSIONS)
          + ", got \"" + minimum + "\"");
    }
    List<String> cipherSuites = reader.list(section + ".ciphersuites");
    for (String suite : cipherSuites) {
      if (!CIPHER_SUITES.contains(suite)) {
        throw new ConfigException(section + ".ciphersuites", "unknown cipher suite " + suite);
      }
    }
    return new TlsConfig.ServerTls(section, Path.of(certificate), Path.of(key),
        reader.list(section + ".clientcas").stream().map(Path::of).toList(),
        clientCertificateRequired(reader, section + ".clientauth"), minimum, cipherSuites);
  }

  private static boolean clientCertificateRequired(ConfigReader reader, String key) {
    String mode = reader.string(key, REQUIRE_AND_VERIFY);
    return switch (mode) {
      case REQUIRE_AND_VERIFY -> true;
      case VERIFY_IF_GIVEN -> false;
      case "request-client-cert", "require-any-client-cert" -> throw new ConfigException(key,
          mode + " accepts client certificates nobody verified and is not supported; use " + REQUIRE_AND_VERIFY
              + " or " + VERIFY_IF_GIVEN);
      default -> throw new ConfigException(key, "expected " + REQUIRE_AND_VERIFY + " or " + VERIFY_IF_GIVEN
          + ", got \"" + mode + "\"");
    };
  }

}
