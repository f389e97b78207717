package io.berth.auth.keys;

import io.berth.auth.files.AtomicFiles;
import io.berth.common.auth.KeyIds;
import io.berth.common.config.AuthServerConfig;
import io.berth.common.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the signing key: the configured PEM files ({@code authserver.signing.key} and {@code .certificate}), or
 * else {@code key.pem} and {@code cert.pem} in the data directory, generated on first start and reused after.
 * Each generated file is created exclusively, so issuer instances starting together on one data directory, in one
 * process or several, all end up with the one key and certificate that were created first.
 * Blocking (file reads, RSA key generation); call from a worker.
 */
public final class SigningKeyLoader {
  public static final String KEY_FILE = "key.pem";
  public static final String CERTIFICATE_FILE = "cert.pem";
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeyLoader.class);
  private static final String KEY_KEY = "authserver.signing.key";
  private static final String CERTIFICATE_KEY = "authserver.signing.certificate";
  private static final String ALGORITHM_KEY = "authserver.signing.algorithm";

  private SigningKeyLoader() {
  }

  public static SigningKey load(AuthServerConfig config) {
    if (config.keyFile() != null) {
      return read(config, config.keyFile(), config.certificateFile(), KEY_KEY, CERTIFICATE_KEY);
    }
    Path key = config.dataDirectory().resolve(KEY_FILE);
    Path certificate = config.dataDirectory().resolve(CERTIFICATE_FILE);
    if (!Files.isRegularFile(key) || !Files.isRegularFile(certificate)) {
      generate(config, key, certificate);
    }
    return read(config, key, certificate, ALGORITHM_KEY, ALGORITHM_KEY);
  }

  private static SigningKey read(AuthServerConfig config, Path keyFile, Path certificateFile, String keyKey,
      String certificateKey) {
    PrivateKey privateKey;
    List<X509Certificate> chain;
    try {
      privateKey = Pem.readPrivateKey(keyFile);
    } catch (IOException e) {
      throw new ConfigException(keyKey, e.getMessage());
    }
    try {
      chain = Pem.readCertificates(certificateFile);
    } catch (IOException e) {
      throw new ConfigException(certificateKey, e.getMessage());
    }
    checkAlgorithm(config.algorithm(), chain.get(0).getPublicKey(), certificateFile, certificateKey);
    checkPair(privateKey, chain.get(0), keyFile, certificateFile, keyKey);
    checkValidity(chain.get(0), certificateFile, certificateKey);
    return new SigningKey(config.algorithm(), privateKey, chain, keyId(config, chain.get(0).getPublicKey()));
  }

  /**
   * Creates whichever of the two files is missing. The key first: the certificate is made for the key on disk,
   * whoever created it, so a key found alone (its creator has not written the certificate yet, or stopped before)
   * gets one too; a loser of either race reads the winner's file afterwards.
   */
  private static void generate(AuthServerConfig config, Path keyFile, Path certificateFile) {
    try {
      if (!Files.exists(keyFile) && AtomicFiles.createIfAbsent(keyFile, Pem.encode("PRIVATE KEY",
          keyPair(config.algorithm()).getPrivate().getEncoded()).getBytes(StandardCharsets.US_ASCII),
          AtomicFiles.OWNER_ONLY)) {
        LOG.info("generated a signing key [algorithm: {}, key: {}]", config.algorithm(), keyFile.toAbsolutePath());
      }
      if (Files.exists(certificateFile)) {
        return;
      }
      PrivateKey privateKey = Pem.readPrivateKey(keyFile);
      KeyPair keys = new KeyPair(PublicKeys.of(privateKey), privateKey);
      // Signed as the key's type allows: a key of the other algorithm is then refused by name when it is read.
      X509Certificate certificate = SelfSignedCertificate.create(keys, config.issuer(),
          privateKey instanceof RSAPrivateKey ? "RS256" : "ES256");
      if (AtomicFiles.createIfAbsent(certificateFile, Pem.encode("CERTIFICATE", certificate.getEncoded())
          .getBytes(StandardCharsets.US_ASCII), AtomicFiles.WORLD_READABLE)) {
        LOG.info("generated a self-signed certificate for the signing key [certificate: {}]",
            certificateFile.toAbsolutePath());
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("authserver", "cannot generate a signing key into " + config.dataDirectory()
          + ": " + e.getMessage());
    }
  }

  private static KeyPair keyPair(String algorithm) throws GeneralSecurityException {
    if (algorithm.equals("RS256")) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    // distribution 3 computes EC thumbprints from coordinates with leading zero bytes stripped, RFC 7638 keeps them;
    // a key whose coordinates have no leading zero has the same thumbprint either way (1 in 128 keys would not).
    while (hasLeadingZero((ECPublicKey) keys.getPublic())) {
      keys = generator.generateKeyPair();
    }
    return keys;
  }

  private static boolean hasLeadingZero(ECPublicKey key) {
    return key.getW().getAffineX().bitLength() <= 248 || key.getW().getAffineY().bitLength() <= 248;
  }

  private static void checkAlgorithm(String algorithm, PublicKey key, Path file, String configKey) {
    boolean fits = algorithm.equals("RS256")
        ? key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= 2048
        : key instanceof ECPublicKey ec && isP256(ec);
    if (!fits) {
      throw new ConfigException(configKey, "the key in " + file + " does not fit signing algorithm " + algorithm
          + " (RS256 needs an RSA key of at least 2048 bits, ES256 a P-256 key)"
          + (configKey.equals(ALGORITHM_KEY) ? "; it was generated for the other algorithm: delete it to "
              + "generate a new one, and give registries the new certificate" : ""));
    }
  }

  private static boolean isP256(ECPublicKey key) {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      ECParameterSpec p256 = parameters.getParameterSpec(ECParameterSpec.class);
      return key.getParams().getCurve().equals(p256.getCurve()) && key.getParams().getOrder().equals(p256.getOrder());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no P-256 curve", e);
    }
  }

  private static void checkPair(PrivateKey privateKey, X509Certificate leaf, Path keyFile, Path certificateFile,
      String configKey) {
    try {
      String algorithm = privateKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      byte[] probe = "berth signing key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      LOG.debug("signing key check failed [key: {}]", keyFile, e);
    }
    throw new ConfigException(configKey, "the private key in " + keyFile
        + " does not belong to the first certificate in " + certificateFile);
  }

  private static void checkValidity(X509Certificate leaf, Path file, String configKey) {
    try {
      leaf.checkValidity();
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new ConfigException(configKey, "the certificate in " + file + " is not valid now (valid "
          + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant()
          + "); registries would reject every token");
    }
  }

  private static String keyId(AuthServerConfig config, PublicKey key) {
    return config.keyIdForm().equals("libtrust") ? KeyIds.libtrust(key) : KeyIds.thumbprint(key);
  }
}
