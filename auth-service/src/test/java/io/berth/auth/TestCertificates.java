package io.berth.auth;

import io.vertx.core.json.JsonArray;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Keys, a CA and leaf certificates as an operator would bring them, and PKIX validation of an x5c chain. */
final class TestCertificates {
  private TestCertificates() {
  }

  static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  static KeyPair rsaKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
      boolean ca) throws Exception {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer),
        BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=" + subject), subjectKeys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    builder.addExtension(Extension.keyUsage, true,
        new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
    String algorithm = issuerKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
  }

  /** Writes objects as BouncyCastle's PEM writer does: an RSA private key in the traditional PKCS#1 form. */
  static Path writePem(Path file, Object... objects) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (Object object : objects) {
        writer.writeObject(object);
      }
    }
    return Files.writeString(file, out.toString());
  }

  /** An EC key as {@code openssl ecparam -genkey -name prime256v1} writes it: EC PARAMETERS, then SEC1 with the curve. */
  static Path writeOpensslEcKey(Path file, KeyPair keys) throws IOException {
    SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
    ASN1Encodable curve = publicKey.getAlgorithm().getParameters();
    org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256,
        ((ECPrivateKey) keys.getPrivate()).getS(), publicKey.getPublicKeyData(), curve);
    return writePem(file, new PemObject("EC PARAMETERS", curve.toASN1Primitive().getEncoded()),
        new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
  }

  static List<X509Certificate> decodeX5c(JsonArray x5c) throws GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> chain = new ArrayList<>();
    for (Object entry : x5c) {
      chain.add((X509Certificate) factory.generateCertificate(
          new ByteArrayInputStream(Base64.getDecoder().decode((String) entry))));
    }
    return chain;
  }

  /** PKIX path validation of the chain (leaf first) up to the given root, as a verifier with a root bundle does. */
  static void validate(List<X509Certificate> chain, X509Certificate root) throws GeneralSecurityException {
    List<X509Certificate> path = chain.stream().filter(certificate -> !certificate.equals(root)).toList();
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(path.isEmpty() ? List.of(root) : path), parameters);
  }
}
