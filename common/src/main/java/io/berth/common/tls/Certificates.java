package io.berth.common.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reader of X.509 certificates: PEM files (TLS chains and CAs, {@code rootcertbundle}, the issuer's chain)
 * and the DER of an {@code x5c} entry, all parsed by the JDK's {@link CertificateFactory}. A PEM file is read as Go's
 * {@code pem.Decode} loop in distribution reads it: its CERTIFICATE blocks in order, with text and blocks of other
 * types (a key concatenated into the same file) skipped, where the factory alone would fail on the first of them.
 */
public final class Certificates {
  /** RFC 7468 framing only; the block, boundaries included, goes to the factory, which decodes and parses it. */
  private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([^\\r\\n-]+)-----.*?-----END \\1-----",
      Pattern.DOTALL);
  private static final String CERTIFICATE = "CERTIFICATE";

  private Certificates() {
  }

  /** Every certificate block of a PEM file, in file order (leaf first in a chain); empty when it holds none. */
  public static List<X509Certificate> pem(byte[] file) throws CertificateException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> certificates = new ArrayList<>();
    Matcher blocks = PEM_BLOCK.matcher(new String(file, StandardCharsets.ISO_8859_1));
    while (blocks.find()) {
      if (CERTIFICATE.equals(blocks.group(1))) {
        certificates.add((X509Certificate) factory.generateCertificate(
            new ByteArrayInputStream(blocks.group().getBytes(StandardCharsets.ISO_8859_1))));
      }
    }
    return certificates;
  }

  /** One DER-encoded certificate, as each entry of a JWS {@code x5c} header holds (RFC 7515 §4.1.6). */
  public static X509Certificate der(byte[] encoded) throws CertificateException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(encoded));
  }
}
