package io.berth.common.tls;

import io.berth.common.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509KeyManager;

/** Reads a server's PEM files and checks them, reporting each problem under the configuration key naming the file. */
final class PemFiles {
  private static final byte[] PROBE = "does this key belong to this certificate?".getBytes(StandardCharsets.UTF_8);

  private PemFiles() {
  }

  /** The file's bytes, once they are known to hold at least one certificate. */
  static Buffer certificates(String key, Path file) {
    byte[] bytes = read(key, file);
    parse(key, file, bytes);
    return Buffer.buffer(bytes);
  }

  /**
   * The certificate chain and its private key as Vert.x options holding the bytes (the files are not read again),
   * once the key is known to be readable and to belong to the first certificate, as Go's LoadX509KeyPair checks.
   */
  static PemKeyCertOptions keyPair(Vertx vertx, String section, Path certificateFile, Path keyFile) {
    String certificateKey = section + ".certificate";
    String keyKey = section + ".key";
    byte[] certificateBytes = read(certificateKey, certificateFile);
    PublicKey publicKey = parse(certificateKey, certificateFile, certificateBytes).get(0).getPublicKey();
    PemKeyCertOptions options = new PemKeyCertOptions().setCertValue(Buffer.buffer(certificateBytes))
        .setKeyValue(Buffer.buffer(read(keyKey, keyFile)));
    X509KeyManager manager;
    try {
      manager = (X509KeyManager) options.getKeyManagerFactory(vertx).getKeyManagers()[0];
    } catch (Exception e) {
      throw new ConfigException(keyKey, "no usable private key in " + keyFile + " (an unencrypted PEM key, PKCS#8, "
          + "RSA or EC, of the certificate's algorithm " + publicKey.getAlgorithm() + "): " + e.getMessage());
    }
    String alias = manager.chooseServerAlias(publicKey.getAlgorithm(), null, null);
    PrivateKey privateKey = alias == null ? null : manager.getPrivateKey(alias);
    if (privateKey == null || !belongTogether(privateKey, publicKey)) {
      throw new ConfigException(keyKey, "the private key in " + keyFile + " does not belong to the certificate in "
          + certificateFile);
    }
    return options;
  }

  private static byte[] read(String key, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static List<X509Certificate> parse(String key, Path file, byte[] bytes) {
    try {
      List<X509Certificate> certificates = Certificates.pem(bytes);
      if (!certificates.isEmpty()) {
        return certificates;
      }
    } catch (CertificateException e) {
      throw new ConfigException(key, "no PEM certificate in " + file + ": " + e.getMessage());
    }
    throw new ConfigException(key, "no PEM certificate in " + file);
  }

  /** Signs with the private key and verifies with the public one; key types without a check here pass. */
  private static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
    String algorithm = switch (publicKey.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
      default -> null;
    };
    if (algorithm == null) {
      return true;
    }
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
