package io.berth.common.config;

import java.nio.file.Path;
import java.util.List;

/**
 * TLS of Berth's HTTP servers: distribution's {@code http.tls} for the registry, and {@code authserver.tls} (a
 * Berth-only section with the same keys) for the token issuer. A null server section means plain HTTP.
 */
public record TlsConfig(ServerTls http, ServerTls authServer) {
  /** The values of {@code minimumtls}, oldest first. */
  public static final List<String> VERSIONS = List.of("tls1.0", "tls1.1", "tls1.2", "tls1.3");
  private static final List<String> JDK_PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  /**
   * One server's PEM certificate (chain) and private key; the CA files its clients' certificates are verified against
   * ({@code clientcas}: mutual TLS when not empty, the certificate {@code required} unless {@code clientauth} is
   * {@code verify-client-cert-if-given}); the lowest protocol version it accepts ({@code tls1.0} … {@code tls1.3});
   * and its cipher suites for TLS 1.2 and older (empty: distribution's defaults). {@code section} is the key of the
   * section, so that problems found when the files are read name the key to fix.
   */
  public record ServerTls(String section, Path certificate, Path key, List<Path> clientCas,
      boolean clientCertificateRequired, String minimumTls, List<String> cipherSuites) {

    /** The JDK's names of {@code minimumTls} and every later version. */
    public List<String> protocols() {
      return JDK_PROTOCOLS.subList(VERSIONS.indexOf(minimumTls), JDK_PROTOCOLS.size());
    }
  }
}
