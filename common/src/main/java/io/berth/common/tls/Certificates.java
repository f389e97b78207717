package io.berth.common.tls;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The one reader of X.509 certificates, for PEM bundles (TLS chains and CAs, {@code rootcertbundle}, the issuer's
 * chain) and DER alike: the JDK's {@link CertificateFactory}, so every file is read by the same rules.
 */
public final class Certificates {
  private Certificates() {
  }

  /** Every certificate in {@code encoded}, in order (leaf first in a chain); empty when it holds none. */
  public static List<X509Certificate> parse(byte[] encoded) throws CertificateException {
    return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(encoded)).stream()
        .map(X509Certificate.class::cast).toList();
  }
}
