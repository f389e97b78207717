package io.berth.launcher.e2e;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway PKI for TLS tests: a self-signed CA, server certificates for 127.0.0.1 (an IP subject alternative name,
 * which Go and the JDK both require), and client certificates; written as PEM files and turned into JDK SSL contexts.
 */
final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(1);

  private TestCertificates() {
  }

  /** A key pair with its certificate. */
  record Identity(KeyPair keys, X509Certificate certificate) {
    /** The certificate and the private key (PKCS#8, as openssl writes it today) as PEM files in {@code dir}. */
    Identity write(Path dir, String certificateFile, String keyFile) throws IOException {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(certificateFile), pem(certificate));
      Files.writeString(dir.resolve(keyFile), pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
      return this;
    }
  }

  /** A self-signed CA named {@code CN=<name>}. */
  static Identity ca(String name) throws Exception {
    KeyPair keys = ecKeys();
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder builder = builder(subject, subject, keys)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new Identity(keys, sign(builder, keys));
  }

  /** A server certificate for 127.0.0.1, with an EC or an RSA key. */
  static Identity server(Identity ca, boolean rsa) throws Exception {
    KeyPair keys = rsa ? rsaKeys() : ecKeys();
    X509v3CertificateBuilder builder = builder(new X500Name("CN=127.0.0.1"), issuer(ca), keys)
        .addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    return new Identity(keys, sign(builder, ca.keys()));
  }

  static Identity client(Identity ca, String name) throws Exception {
    KeyPair keys = ecKeys();
    X509v3CertificateBuilder builder = builder(new X500Name("CN=" + name), issuer(ca), keys)
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    return new Identity(keys, sign(builder, ca.keys()));
  }

  static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static KeyPair rsaKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  static String pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }

  /**
   * A JDK context trusting {@code ca} and, when {@code client} is not null, presenting it whatever CAs the server
   * names: the JDK's own key manager would quietly send no certificate at all to a server that does not name its CA.
   */
  static SSLContext context(Identity ca, Identity client, String protocol) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance(protocol);
    context.init(client == null ? null : new KeyManager[] {new Presenting(client)}, trust.getTrustManagers(), null);
    return context;
  }

  /** A client key manager with one identity, offered on every request for a client certificate. */
  private static final class Presenting extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";
    private final Identity identity;

    Presenting(Identity identity) {
      this.identity = identity;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
      return ALIAS;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return new String[0];
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return new X509Certificate[] {identity.certificate()};
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return identity.keys().getPrivate();
    }
  }

  /** A TLS connection to 127.0.0.1:port offering only {@code protocol}, its handshake done. */
  static SSLSocket handshake(SSLContext context, int port, String protocol) throws IOException {
    Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
    socket.setSoTimeout(10_000);
    socket.setEnabledProtocols(new String[] {protocol});
    socket.startHandshake();
    return socket;
  }

  /** The CA's subject in its exact encoding: Go finds a parent by comparing the raw bytes. */
  private static X500Name issuer(Identity ca) {
    return X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
  }

  private static JcaX509v3CertificateBuilder builder(X500Name subject, X500Name issuer, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.getAndIncrement()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(builder.build(
        new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }
}
