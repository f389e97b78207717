package io.berth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.auth.KeyIds;
import io.berth.common.auth.Scope;
import io.berth.common.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key selection and signature rules of the token verifier, against real certificate files and a real JWKS file:
 * every way distribution 2.8 and 3 find a trusted key, and the ways an attacker would try to make it use another.
 */
class TokenVerifierTest {
  /** The generator of P-256 (SEC 2, §2.4.2), which distribution 3 hashes in place of an EC key's point. */
  private static final String P256_GX = "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296";
  private static final String P256_GY = "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";

  @TempDir
  static Path directory;
  private static TestPki.Identity ca;
  private static TestPki.Identity ecIssuer;
  private static TestPki.Identity intermediate;
  private static TestPki.Identity leafOfIntermediate;
  private static KeyPair jwksRsa;
  private static KeyPair jwksEc384;
  private static KeyPair jwksEd25519;
  private static KeyPair attacker;
  private static TrustedKeys keys;

  @BeforeAll
  static void createKeys() throws Exception {
    ca = TestPki.selfSignedCa("CN=Verifier Test CA");
    KeyPair ec = TestPki.ec("secp256r1");
    ecIssuer = new TestPki.Identity(ec, TestPki.certificate("CN=Self-signed EC Issuer", ec.getPublic(),
        "CN=Self-signed EC Issuer", ec.getPrivate(), false, Instant.now().minusSeconds(3600),
        Instant.now().plus(Duration.ofDays(1))));
    intermediate = TestPki.issuedBy(ca, "CN=Verifier Test Intermediate", TestPki.rsa(), true);
    leafOfIntermediate = TestPki.issuedBy(intermediate, "CN=Verifier Test Leaf", TestPki.ec("secp256r1"), false);
    jwksRsa = TestPki.rsa();
    jwksEc384 = TestPki.ec("secp384r1");
    jwksEd25519 = TestPki.ed25519();
    attacker = TestPki.rsa();
    Path bundle = TestPki.writeBundle(directory.resolve("bundle.pem"), ca.certificate(), ecIssuer.certificate());
    Path jwks = Files.writeString(directory.resolve("jwks.json"), new JsonObject().put("keys", new JsonArray()
        .add(KeyIds.jwk(jwksRsa.getPublic()).put("kid", "rsa-1").put("use", "sig"))
        .add(KeyIds.jwk(jwksEc384.getPublic()).put("kid", "ec-384"))
        .add(new JsonObject().put("kty", "OKP").put("crv", "Ed25519").put("kid", "ed-1")
            .put("x", Jwts.b64(ed25519Raw(jwksEd25519))))).encodePrettily());
    keys = TrustedKeys.load(bundle, jwks, Clock.systemUTC());
  }

  @Test
  void kidAsLibtrustIdOfABundleCertificateVerifies() throws Exception {
    String token = Jwts.sign(Jwts.header("RS256").put("kid", KeyIds.libtrust(ca.publicKey())), claims(),
        ca.privateKey());

    assertEquals("alice", verifier().verify(token).subject());
  }

  @Test
  void kidAsThumbprintOfABundleCertificateVerifiesWithRs512AndPs256() throws Exception {
    JsonObject rs512 = Jwts.header("RS512").put("kid", KeyIds.thumbprint(ca.publicKey()));
    JsonObject ps256 = Jwts.header("PS256").put("kid", KeyIds.thumbprint(ca.publicKey()));

    assertEquals("alice", verifier().verify(Jwts.sign(rs512, claims(), ca.privateKey())).subject());
    assertEquals("alice", verifier().verify(Jwts.sign(ps256, claims(), ca.privateKey())).subject());
  }

  @Test
  void es256KeyOfTheBundleIsFoundByThumbprintAndByDistributionsCurveId() throws Exception {
    String curveId = Jwts.b64(MessageDigest.getInstance("SHA-256").digest(("{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\""
        + Jwts.b64(HexFormat.of().parseHex(P256_GX)) + "\",\"y\":\"" + Jwts.b64(HexFormat.of().parseHex(P256_GY))
        + "\"}").getBytes(StandardCharsets.UTF_8)));

    for (String kid : new String[] {KeyIds.thumbprint(ecIssuer.publicKey()), curveId}) {
      String token = Jwts.sign(Jwts.header("ES256").put("kid", kid), claims(), ecIssuer.privateKey());
      assertEquals("alice", verifier().verify(token).subject(), kid);
    }
  }

  @Test
  void selfSignedIssuerCertificateOfTheBundleVerifiesAsX5c() throws Exception {
    JsonObject header = Jwts.header("ES256").put("x5c", new JsonArray().add(ecIssuer.x5c()));

    assertEquals("alice", verifier().verify(Jwts.sign(header, claims(), ecIssuer.privateKey())).subject());
  }

  @Test
  void chainThroughAnIntermediateVerifiesOnlyWithTheIntermediateInX5c() throws Exception {
    JsonObject full = Jwts.header("ES256").put("x5c", new JsonArray().add(leafOfIntermediate.x5c())
        .add(intermediate.x5c()));
    JsonObject leafOnly = Jwts.header("ES256").put("x5c", new JsonArray().add(leafOfIntermediate.x5c()));

    assertEquals("alice", verifier().verify(Jwts.sign(full, claims(), leafOfIntermediate.privateKey())).subject());
    assertRefused(verifier(), Jwts.sign(leafOnly, claims(), leafOfIntermediate.privateKey()));
  }

  @Test
  void leafIssuedByANonCaCertificateIsRefused() throws Exception {
    TestPki.Identity notCa = TestPki.issuedBy(ca, "CN=Not A CA", TestPki.rsa(), false);
    TestPki.Identity leaf = TestPki.issuedBy(notCa, "CN=Leaf Of Not A CA", TestPki.rsa(), false);
    JsonObject header = Jwts.header("RS256").put("x5c", new JsonArray().add(leaf.x5c()).add(notCa.x5c()));

    assertRefused(verifier(), Jwts.sign(header, claims(), leaf.privateKey()));
  }

  @Test
  void expiredLeafCertificateIsRefused() throws Exception {
    KeyPair pair = TestPki.rsa();
    TestPki.Identity expired = new TestPki.Identity(pair, TestPki.certificate("CN=Expired Issuer", pair.getPublic(),
        "CN=Verifier Test CA", ca.privateKey(), false, Instant.now().minus(Duration.ofDays(10)),
        Instant.now().minus(Duration.ofDays(1))));
    JsonObject header = Jwts.header("RS256").put("x5c", new JsonArray().add(expired.x5c()).add(ca.x5c()));

    assertRefused(verifier(), Jwts.sign(header, claims(), pair.getPrivate()));
  }

  @Test
  void cachedChainStopsVerifyingWhenItsLeafCertificateExpires() throws Exception {
    Instant notAfter = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    KeyPair pair = TestPki.rsa();
    TestPki.Identity shortLived = new TestPki.Identity(pair, TestPki.certificate("CN=Short-lived Issuer",
        pair.getPublic(), "CN=Verifier Test CA", ca.privateKey(), false, Instant.now().minusSeconds(60), notAfter));
    MovableClock clock = new MovableClock(notAfter.minusSeconds(10));
    TrustedKeys trusted = TrustedKeys.load(directory.resolve("bundle.pem"), null, clock);
    TokenVerifier verifier = new TokenVerifier(trusted, EnumSet.copyOf(JwsAlgorithm.DEFAULTS), Jwts.ISSUER,
        Jwts.SERVICE, clock);
    JsonObject header = Jwts.header("RS256").put("x5c", new JsonArray().add(shortLived.x5c()).add(ca.x5c()));
    String token = Jwts.sign(header, claims().put("exp", notAfter.getEpochSecond() + 3600), pair.getPrivate());

    assertEquals("alice", verifier.verify(token).subject());
    assertEquals("alice", verifier.verify(token).subject());
    clock.now = notAfter.plusSeconds(1);
    assertRefused(verifier, token);
  }

  @Test
  void jwksKeysVerifyByKid() throws Exception {
    TokenVerifier withEdDsa = verifier(EnumSet.of(JwsAlgorithm.RS256, JwsAlgorithm.ES384, JwsAlgorithm.EDDSA));

    assertEquals("alice", withEdDsa.verify(Jwts.sign(Jwts.header("RS256").put("kid", "rsa-1"), claims(),
        jwksRsa.getPrivate())).subject());
    assertEquals("alice", withEdDsa.verify(Jwts.sign(Jwts.header("ES384").put("kid", "ec-384"), claims(),
        jwksEc384.getPrivate())).subject());
    assertEquals("alice", withEdDsa.verify(Jwts.sign(Jwts.header("EdDSA").put("kid", "ed-1"), claims(),
        jwksEd25519.getPrivate())).subject());
  }

  @Test
  void eddsaIsRefusedUnlessConfigured() throws Exception {
    assertRefused(verifier(), Jwts.sign(Jwts.header("EdDSA").put("kid", "ed-1"), claims(), jwksEd25519.getPrivate()));
  }

  @Test
  void algorithmOutsideTheConfiguredListIsRefused() throws Exception {
    String rs256 = Jwts.sign(Jwts.header("RS256").put("kid", "rsa-1"), claims(), jwksRsa.getPrivate());

    assertRefused(verifier(EnumSet.of(JwsAlgorithm.ES256)), rs256);
  }

  @Test
  void es256SignatureInDerFormIsRefused() throws Exception {
    JsonObject header = Jwts.header("ES256").put("kid", KeyIds.thumbprint(ecIssuer.publicKey()));
    String input = Jwts.encode(header) + "." + Jwts.encode(claims());
    Signature der = Signature.getInstance("SHA256withECDSA");
    der.initSign(ecIssuer.privateKey());
    der.update(input.getBytes(StandardCharsets.US_ASCII));

    assertRefused(verifier(), input + "." + Jwts.b64(der.sign()));
  }

  @Test
  void es256NamingAP384KeyIsRefused() throws Exception {
    JsonObject header = Jwts.header("ES256").put("kid", "ec-384");
    String input = Jwts.encode(header) + "." + Jwts.encode(claims());
    Signature p384 = Signature.getInstance("SHA256withECDSAinP1363Format");
    p384.initSign(jwksEc384.getPrivate());
    p384.update(input.getBytes(StandardCharsets.US_ASCII));

    assertRefused(verifier(), input + "." + Jwts.b64(p384.sign()));
  }

  @Test
  void invalidX5cDoesNotFallBackToAValidKid() throws Exception {
    TestPki.Identity rogue = TestPki.selfSignedCa("CN=Verifier Test CA");
    JsonObject header = Jwts.header("RS256").put("x5c", new JsonArray().add(rogue.x5c()))
        .put("kid", KeyIds.thumbprint(ca.publicKey()));

    assertRefused(verifier(), Jwts.sign(header, claims(), ca.privateKey()));
  }

  @Test
  void keyEmbeddedInTheHeaderIsNeverTrusted() throws Exception {
    JsonObject ownKey = Jwts.header("RS256").put("jwk", KeyIds.jwk(attacker.getPublic()).put("kid", "attacker"));
    JsonObject trustedId = Jwts.header("RS256").put("jwk", KeyIds.jwk(attacker.getPublic()).put("kid", "rsa-1"));

    assertRefused(verifier(), Jwts.sign(ownKey, claims(), attacker.getPrivate()));
    assertRefused(verifier(), Jwts.sign(trustedId, claims(), attacker.getPrivate()));
    assertEquals("alice", verifier().verify(Jwts.sign(Jwts.header("RS256")
        .put("jwk", new JsonObject().put("kty", "RSA").put("kid", "rsa-1")), claims(), jwksRsa.getPrivate())).subject());
  }

  @Test
  void headerWithoutAnyKeyReferenceIsRefused() throws Exception {
    assertRefused(verifier(), Jwts.sign(Jwts.header("RS256"), claims(), ca.privateKey()));
  }

  @Test
  void criticalHeaderParametersAreRefused() throws Exception {
    JsonObject header = Jwts.header("RS256").put("kid", "rsa-1").put("crit", new JsonArray().add("exp"));

    assertRefused(verifier(), Jwts.sign(header, claims(), jwksRsa.getPrivate()));
  }

  @Test
  void paddedSegmentsAndExtraPartsAreRefused() throws Exception {
    String token = Jwts.sign(Jwts.header("RS256").put("kid", "rsa-1"), claims(), jwksRsa.getPrivate());
    String[] parts = token.split("\\.");

    assertEquals("alice", verifier().verify(token).subject());
    assertRefused(verifier(), parts[0] + "." + parts[1] + "." + parts[2] + "==");
    assertRefused(verifier(), parts[0] + "=." + parts[1] + "." + parts[2]);
    assertRefused(verifier(), token + ".extra");
  }

  @Test
  void malformedClaimsAreRefusedEvenWhenSigned() throws Exception {
    JsonObject header = Jwts.header("RS256").put("kid", "rsa-1");

    assertRefused(verifier(), Jwts.sign(header, claims().put("access", "everything"), jwksRsa.getPrivate()));
    assertRefused(verifier(), Jwts.sign(header, claims().put("access", new JsonArray()
        .add(new JsonObject().put("type", "repository").put("actions", new JsonArray().add("*")))),
        jwksRsa.getPrivate()));
    assertRefused(verifier(), Jwts.sign(header, claims().put("exp", "tomorrow"), jwksRsa.getPrivate()));
    assertRefused(verifier(), Jwts.sign(header, claims().put("exp", 1.5e12), jwksRsa.getPrivate()));
    assertRefused(verifier(), Jwts.sign(header, claims().put("sub", new JsonObject()), jwksRsa.getPrivate()));
  }

  @Test
  void accessEntriesOfOneResourceAddUpAndTheClassIsIgnored() throws Exception {
    JsonArray access = new JsonArray()
        .add(Jwts.grant("repository", "app/one", "pull"))
        .add(Jwts.grant("repository", "app/one", "push").put("class", "image"))
        .add(Jwts.grant("repository", "localhost:5000/app", "delete"));
    VerifiedToken token = verifier().verify(Jwts.sign(Jwts.header("RS256").put("kid", "rsa-1"),
        claims().put("access", access), jwksRsa.getPrivate()));

    assertTrue(token.allows(Scope.repository("app/one", "pull", "push")));
    assertTrue(token.allows(Scope.parse("repository:localhost:5000/app:delete")));
    assertEquals(false, token.allows(Scope.repository("app/one", "delete")));
    assertEquals(false, token.allows(Scope.repository("localhost:5000/app", "pull")));
    assertEquals(false, token.allows(new Scope("registry", "app/one", Set.of("pull"))));
  }

  @Test
  void verificationUsesTheGivenClockWithSixtySecondsLeeway() throws Exception {
    long exp = Instant.now().getEpochSecond() + 300;
    String token = Jwts.sign(Jwts.header("RS256").put("kid", "rsa-1"), claims().put("exp", exp),
        jwksRsa.getPrivate());

    assertEquals("alice", verifierAt(Instant.ofEpochSecond(exp + 60)).verify(token).subject());
    assertRefused(verifierAt(Instant.ofEpochSecond(exp + 61)), token);
  }

  @Test
  void bundleWithoutCertificatesOrUnusableJwksFailsAtStartup() throws Exception {
    Path empty = Files.writeString(directory.resolve("empty.pem"), "no certificates here\n");
    Path symmetric = Files.writeString(directory.resolve("symmetric.json"), new JsonObject().put("keys",
        new JsonArray().add(new JsonObject().put("kty", "oct").put("kid", "hmac").put("k", "c2VjcmV0"))).encode());
    Path noKeys = Files.writeString(directory.resolve("nokeys.json"), "{\"keys\":[]}");

    assertTrue(assertThrows(ConfigException.class, () -> TrustedKeys.load(empty, null, Clock.systemUTC()))
        .getMessage().startsWith("auth.token.rootcertbundle: "));
    assertTrue(assertThrows(ConfigException.class, () -> TrustedKeys.load(null, symmetric, Clock.systemUTC()))
        .getMessage().startsWith("auth.token.jwks: "));
    assertTrue(assertThrows(ConfigException.class, () -> TrustedKeys.load(null, noKeys, Clock.systemUTC()))
        .getMessage().contains("at least one token signing key"));
  }

  private static JsonObject claims() {
    return Jwts.claims(Jwts.access("repository", "app/one", "pull"));
  }

  private static TokenVerifier verifier() {
    return verifier(EnumSet.copyOf(JwsAlgorithm.DEFAULTS));
  }

  private static TokenVerifier verifier(Set<JwsAlgorithm> algorithms) {
    return new TokenVerifier(keys, algorithms, Jwts.ISSUER, Jwts.SERVICE, Clock.systemUTC());
  }

  private static TokenVerifier verifierAt(Instant now) {
    return new TokenVerifier(keys, EnumSet.copyOf(JwsAlgorithm.DEFAULTS), Jwts.ISSUER, Jwts.SERVICE,
        Clock.fixed(now, ZoneOffset.UTC));
  }

  private static void assertRefused(TokenVerifier verifier, String token) {
    assertThrows(InvalidTokenException.class, () -> verifier.verify(token));
  }

  /** A clock a test moves forward. */
  private static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /** The 32 raw bytes of an Ed25519 public key: the tail of its X.509 encoding. */
  private static byte[] ed25519Raw(KeyPair pair) {
    byte[] encoded = pair.getPublic().getEncoded();
    byte[] raw = new byte[32];
    System.arraycopy(encoded, encoded.length - 32, raw, 0, 32);
    return raw;
  }
}
