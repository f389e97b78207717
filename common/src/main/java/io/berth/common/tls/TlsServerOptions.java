package io.berth.common.tls;

import io.berth.common.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a server's TLS section into Vert.x server options, as distribution configures its listener: the certificate
 * and key, client certificates verified against {@code clientcas}, protocols from {@code minimumtls} up, and
 * distribution's cipher suites. The files are read and checked once, at startup, so that a wrong one stops the server
 * with its key named instead of failing every handshake later.
 */
public final class TlsServerOptions {
  private static final Logger LOG = LoggerFactory.getLogger(TlsServerOptions.class);
  /** distribution's defaults: forward-secret AEAD suites only. */
  private static final List<String> DEFAULT_CIPHER_SUITES = List.of(
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  /** Go never lets a configuration restrict TLS 1.3's suites; the JDK would drop TLS 1.3 without them. */
  private static final List<String> TLS13_CIPHER_SUITES = List.of(
      "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_256_GCM_SHA384");

  private TlsServerOptions() {
  }

  /** {@code options} when {@code tls} is null (plain HTTP), else a copy with TLS from the checked files. */
  public static Future<HttpServerOptions> apply(Vertx vertx, HttpServerOptions options, TlsConfig.ServerTls tls) {
    if (tls == null) {
      return Future.succeededFuture(options);
    }
    return vertx.executeBlocking(() -> configure(vertx, options, tls), false);
  }

  private static HttpServerOptions configure(Vertx vertx, HttpServerOptions plain, TlsConfig.ServerTls tls) {
    String section = tls.section();
    HttpServerOptions options = new HttpServerOptions(plain);
    PemKeyCertOptions keyCert = PemFiles.keyPair(vertx, section, tls.certificate(), tls.key());
    options.setSsl(true).setKeyCertOptions(keyCert)
        .setEnabledSecureTransportProtocols(Set.copyOf(tls.protocols()));
    if (!tls.clientCas().isEmpty()) {
      PemTrustOptions trust = new PemTrustOptions();
      for (Path file : tls.clientCas()) {
        trust.addCertValue(PemFiles.certificates(section + ".clientcas", file));
      }
      options.setTrustOptions(trust)
          .setClientAuth(tls.clientCertificateRequired() ? ClientAuth.REQUIRED : ClientAuth.REQUEST);
    }
    if (tls.minimumTls().equals("tls1.3")) {
      if (!tls.cipherSuites().isEmpty()) {
        LOG.warn("{}.ciphersuites ignored: TLS 1.3 has no configurable cipher suites (as in distribution)", section);
      }
    } else {
      List<String> suites = tls.cipherSuites().isEmpty() ? DEFAULT_CIPHER_SUITES : tls.cipherSuites();
      suites.forEach(options::addEnabledCipherSuite);
      TLS13_CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    }
    return options;
  }
}
