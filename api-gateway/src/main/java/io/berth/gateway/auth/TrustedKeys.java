package io.berth.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import io.berth.common.auth.KeyIds;
import io.berth.common.config.ConfigException;
import io.berth.common.tls.Certificates;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys a token may be signed with, from distribution's two sources: the certificates of {@code rootcertbundle}
 * (anchors for an {@code x5c} chain, and keys by id) and a {@code jwks} file (keys by their {@code kid}). The token
 * header only says which trusted key to use; a key it carries itself is never trusted.
 */
final class TrustedKeys {
  private static final Logger LOG = LoggerFactory.getLogger(TrustedKeys.class);
  private static final int MAX_VALIDATED_CHAINS = 64;

  private final Set<X509Certificate> roots;
  private final Set<TrustAnchor> anchors;
  private final Map<String, List<JWSVerifier>> byKeyId;
  private final Clock clock;
  /**
   * Chains already validated, by their x5c text, until the first of their certificates expires. An issuer sends the
   * same chain in every token, and path building costs about ten times the signature check. Only chains that
   * validated are put; Caffeine, bounded by count, without the lock every token check used to take.
   */
  private final Cache<String, ValidatedChain> validated = Caffeine.newBuilder().maximumSize(MAX_VALIDATED_CHAINS)
      .executor(Runnable::run).build();

  private record ValidatedChain(JWSVerifier key, Instant validUntil) {
  }

  private TrustedKeys(Set<X509Certificate> roots, Map<String, List<JWSVerifier>> byKeyId, Clock clock) {
    this.roots = Set.copyOf(roots);
    Set<TrustAnchor> trustAnchors = new HashSet<>();
    roots.forEach(root -> trustAnchors.add(new TrustAnchor(root, null)));
    this.anchors = Set.copyOf(trustAnchors);
    this.byKeyId = Map.copyOf(byKeyId);
    this.clock = clock;
  }

  /** Reads the files; blocking. Either may be null, not both; a file without a usable key is a startup error. */
  static TrustedKeys load(Path rootCertBundle, Path jwks, Clock clock) {
    Set<X509Certificate> roots = new LinkedHashSet<>();
    Map<String, List<JWSVerifier>> byKeyId = new HashMap<>();
    if (rootCertBundle != null) {
      for (X509Certificate root : certificates(rootCertBundle)) {
        roots.add(root);
        JWSVerifier verifier = verifier(root.getPublicKey());
        if (verifier != null) {
          keyIds(root.getPublicKey()).forEach(id -> byKeyId.computeIfAbsent(id, any -> new ArrayList<>())
              .add(verifier));
        }
      }
    }
    if (jwks != null) {
      readJwks(jwks).forEach((kid, verifier) -> byKeyId.computeIfAbsent(kid, any -> new ArrayList<>()).add(verifier));
    }
    if (roots.isEmpty() && byKeyId.isEmpty()) {
      throw new ConfigException(rootCertBundle != null ? "auth.token.rootcertbundle" : "auth.token.jwks",
          "token auth requires at least one token signing key");
    }
    byKeyId.replaceAll((id, keys) -> List.copyOf(keys));
    return new TrustedKeys(roots, byKeyId, clock);
  }

  /**
   * The trusted keys that may have signed a token with this header, in distribution 3's order: the leaf of an
   * {@code x5c} chain that validates against the bundle; else a {@code jwk} header's own chain or its {@code kid};
   * else the {@code kid}. Several keys come back only when one id names several trusted keys.
   */
  List<JWSVerifier> signingKeys(JsonObject header) throws InvalidTokenException {
    if (header.containsKey("x5c")) {
      return List.of(chainKey(header.getValue("x5c")));
    }
    if (header.containsKey("jwk")) {
      if (!(header.getValue("jwk") instanceof JsonObject jwk)) {
        throw new InvalidTokenException("jwk header is not a key");
      }
      return jwk.containsKey("x5c") ? List.of(chainKey(jwk.getValue("x5c"))) : byId(jwk.getValue("kid"));
    }
    if (header.containsKey("kid")) {
      return byId(header.getValue("kid"));
    }
    throw new InvalidTokenException("the header names no signing key (x5c, jwk or kid)");
  }

  private List<JWSVerifier> byId(Object kid) throws InvalidTokenException {
    List<JWSVerifier> keys = kid instanceof String id ? byKeyId.get(id) : null;
    if (keys == null) {
      throw new InvalidTokenException("token signed by an untrusted key id");
    }
    return keys;
  }

  private JWSVerifier chainKey(Object x5c) throws InvalidTokenException {
    if (!(x5c instanceof JsonArray encoded) || encoded.isEmpty()) {
      throw new InvalidTokenException("x5c is not a certificate chain");
    }
    if (anchors.isEmpty()) {
      throw new InvalidTokenException("x5c chain given, but no rootcertbundle is configured");
    }
    String chainId = encoded.encode();
    Instant now = clock.instant();
    ValidatedChain known = validated.getIfPresent(chainId);
    if (known != null && now.isBefore(known.validUntil())) {
      return known.key();
    }
    List<X509Certificate> chain = parse(encoded);
    Instant validUntil = validate(chain, now);
    JWSVerifier verifier = verifier(chain.get(0).getPublicKey());
    if (verifier == null) {
      throw new InvalidTokenException("x5c leaf key has no JWS algorithm");
    }
    validated.put(chainId, new ValidatedChain(verifier, validUntil));
    return verifier;
  }

  /** A trusted key's verifier, or null for a key no JWS algorithm is defined for (such a key verifies nothing). */
  private static JWSVerifier verifier(PublicKey key) {
    try {
      return SignatureVerifiers.of(key);
    } catch (JOSEException e) {
      return null;
    }
  }

  private static List<X509Certificate> parse(JsonArray encoded) throws InvalidTokenException {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Object certificate : encoded) {
        if (!(certificate instanceof String base64)) {
          throw new InvalidTokenException("x5c holds something other than certificates");
        }
        chain.add(Certificates.der(Base64.getDecoder().decode(base64)));
      }
    } catch (CertificateException | IllegalArgumentException e) {
      throw new InvalidTokenException("x5c holds an unreadable certificate");
    }
    return chain;
  }

  /**
   * PKIX from the leaf, through the chain's other certificates, to a bundle certificate, as Go's x509 Verify does;
   * answers when the first certificate of the path found (anchor included) expires.
   */
  private Instant validate(List<X509Certificate> chain, Instant now) throws InvalidTokenException {
    X509Certificate leaf = chain.get(0);
    try {
      if (roots.contains(leaf)) {
        leaf.checkValidity(Date.from(now));
        return leaf.getNotAfter().toInstant();
      }
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(leaf);
      PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(now));
      parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
      PKIXCertPathBuilderResult path = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX")
          .build(parameters);
      Instant validUntil = path.getTrustAnchor().getTrustedCert().getNotAfter().toInstant();
      for (Certificate certificate : path.getCertPath().getCertificates()) {
        Instant notAfter = ((X509Certificate) certificate).getNotAfter().toInstant();
        validUntil = notAfter.isBefore(validUntil) ? notAfter : validUntil;
      }
      return validUntil;
    } catch (GeneralSecurityException e) {
      throw new InvalidTokenException("x5c chain does not validate against rootcertbundle: " + e.getMessage());
    }
  }

  /**
   * The ids a bundle certificate's key is found by: libtrust's (distribution 2.8), the RFC 7638 thumbprint
   * (distribution 3), and for EC keys the id distribution 3 actually computes, which hashes the curve's generator
   * point instead of the key's (util.go uses params.Gx/Gy), so issuers that copied that function still match.
   */
  private static List<String> keyIds(PublicKey key) {
    List<String> ids = new ArrayList<>();
    ids.add(KeyIds.libtrust(key));
    if (key instanceof RSAPublicKey || key instanceof ECPublicKey) {
      ids.add(KeyIds.thumbprint(key));
    }
    if (key instanceof ECPublicKey ec) {
      ids.add(distributionEcKeyId(ec, KeyIds.jwk(key).getString("crv")));
    }
    return ids;
  }

  private static String distributionEcKeyId(ECPublicKey key, String curve) {
    String canonical = "{\"crv\":\"" + curve + "\",\"kty\":\"EC\",\"x\":\""
        + KeyIds.base64Url(magnitude(key.getParams().getGenerator().getAffineX())) + "\",\"y\":\""
        + KeyIds.base64Url(magnitude(key.getParams().getGenerator().getAffineY())) + "\"}";
    try {
      return KeyIds.base64Url(MessageDigest.getInstance("SHA-256")
          .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Go's big.Int.Bytes(): big-endian, no leading zero bytes. */
  private static byte[] magnitude(BigInteger value) {
    byte[] bytes = value.toByteArray();
    int zeros = 0;
    while (zeros < bytes.length - 1 && bytes[zeros] == 0) {
      zeros++;
    }
    byte[] stripped = new byte[bytes.length - zeros];
    System.arraycopy(bytes, zeros, stripped, 0, stripped.length);
    return stripped;
  }

  private static List<X509Certificate> certificates(Path bundle) {
    byte[] pem;
    try {
      pem = Files.readAllBytes(bundle);
    } catch (IOException e) {
      throw new ConfigException("auth.token.rootcertbundle", "cannot read " + bundle + ": " + e.getMessage());
    }
    List<X509Certificate> certificates;
    try {
      certificates = Certificates.pem(pem);
    } catch (CertificateException e) {
      throw new ConfigException("auth.token.rootcertbundle", "unreadable certificate in " + bundle + ": "
          + e.getMessage());
    }
    if (certificates.isEmpty()) {
      throw new ConfigException("auth.token.rootcertbundle", "no PEM certificate in " + bundle);
    }
    return certificates;
  }

  private static Map<String, JWSVerifier> readJwks(Path file) {
    Map<String, JWSVerifier> keys = new HashMap<>();
    try {
      JsonObject set = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      JsonArray entries = set.getJsonArray("keys");
      if (entries == null) {
        throw new ConfigException("auth.token.jwks", file + " has no \"keys\" list");
      }
      for (int i = 0; i < entries.size(); i++) {
        JsonObject jwk = entries.getJsonObject(i);
        String kid = jwk.getString("kid");
        if (kid == null || kid.isEmpty()) {
          LOG.warn("JWKS key without kid, ignored [file: {}, index: {}]", file, i);
          continue;
        }
        keys.put(kid, SignatureVerifiers.of(publicKey(jwk)));
      }
    } catch (IOException e) {
      throw new ConfigException("auth.token.jwks", "cannot read " + file + ": " + e.getMessage());
    } catch (GeneralSecurityException | JOSEException | DecodeException | ClassCastException e) {
      throw new ConfigException("auth.token.jwks", "unusable key set " + file + ": " + e.getMessage());
    }
    return keys;
  }

  /** The public key of a key-set entry as nimbus reads JWKs (RFC 7517/7518 §6), and Ed25519 (RFC 8037). */
  private static PublicKey publicKey(JsonObject jwk) throws GeneralSecurityException {
    JWK parsed;
    try {
      parsed = JWK.parse(jwk.encode());
      if (parsed instanceof RSAKey rsa) {
        return rsa.toRSAPublicKey();
      }
      if (parsed instanceof ECKey ec) {
        return ec.toECPublicKey();
      }
    } catch (ParseException | JOSEException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
    if (parsed instanceof OctetKeyPair okp) {
      return Ed25519Verifier.publicKey(okp);
    }
    throw new GeneralSecurityException("unsupported key type " + parsed.getKeyType());
  }
}
