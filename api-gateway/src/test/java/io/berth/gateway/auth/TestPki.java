package io.berth.gateway.auth;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Keys and X.509 certificates for tests: a CA, leaves it signs, and the PEM bundle a registry trusts. */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(1);

  private TestPki() {
  }

  /** A key pair and its certificate, signed by an issuer or by itself. */
  record Identity(KeyPair keys, X509Certificate certificate) {
    PrivateKey privateKey() {
      return keys.getPrivate();
    }

    PublicKey publicKey() {
      return keys.getPublic();
    }

    String x5c() {
      return der(certificate);
    }
  }

  static KeyPair rsa() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  static KeyPair ec(String curve) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  static KeyPair ed25519() throws GeneralSecurityException {
    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  static Identity selfSignedCa(String name) throws Exception {
    KeyPair keys = rsa();
    return new Identity(keys, certificate(name, keys.getPublic(), name, keys.getPrivate(), true,
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30))));
  }

  static Identity issuedBy(Identity issuer, String name, KeyPair keys, boolean ca) throws Exception {
    return new Identity(keys, certificate(name, keys.getPublic(), issuer.certificate().getSubjectX500Principal()
            .getName(), issuer.privateKey(), ca, Instant.now().minus(Duration.ofDays(1)),
        Instant.now().plus(Duration.ofDays(30))));
  }

  static X509Certificate certificate(String subject, PublicKey key, String issuer, PrivateKey issuerKey, boolean ca,
      Instant notBefore, Instant notAfter) throws Exception {
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
        BigInteger.valueOf(SERIAL.getAndIncrement()), Date.from(notBefore), Date.from(notAfter),
        new X500Name(subject), key);
    if (ca) {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    }
    String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA"
        : issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "Ed25519";
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
  }

  static String der(X509Certificate certificate) {
    try {
      return Base64.getEncoder().encodeToString(certificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path writeBundle(Path file, X509Certificate... certificates) throws Exception {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      pem.append("-----BEGIN CERTIFICATE-----\n")
          .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    return Files.writeString(file, pem);
  }
}
