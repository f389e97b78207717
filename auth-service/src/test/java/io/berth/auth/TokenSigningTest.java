package io.berth.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.auth.keys.SigningKeyLoader;
import io.berth.common.auth.KeyIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JWT itself: header (alg, typ, kid form, x5c chain), claims as distribution reads them, keys and JWKS. */
class TokenSigningTest {
  private static final Set<String> CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "access");
  private static final String LIBTRUST_KID = "([A-Z2-7]{4}:){11}[A-Z2-7]{4}";

  @TempDir
  static Path shared;
  @TempDir
  Path directory;
  private static RunningIssuer rs256;

  @BeforeAll
  static void start() throws Exception {
    rs256 = RunningIssuer.start(shared.resolve("storage"), RunningIssuer.standardSection(
        RunningIssuer.writeUsers(shared)));
  }

  @AfterAll
  static void stop() throws Exception {
    rs256.close();
  }

  private static String token(RunningIssuer issuer, String user, String scope) throws Exception {
    var response = issuer.get("/token?scope=" + RunningIssuer.encode(scope), "Authorization",
        RunningIssuer.basic(user));
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body()).getString("token");
  }

  private static X509Certificate generatedCertificate(RunningIssuer issuer) throws Exception {
    return TestCertificates.decodeX5c(new JsonArray().add(pemBody(
        issuer.dataDirectory().resolve(SigningKeyLoader.CERTIFICATE_FILE)))).get(0);
  }

  private static String pemBody(Path file) throws Exception {
    return Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
  }

  @Test
  void rs256TokenCarriesThumbprintKidAndAnX5cChainThatValidatesAgainstTheGeneratedCertificate() throws Exception {
    Jwt jwt = Jwt.parse(token(rs256, "alice", "repository:alice/app:pull"));
    X509Certificate certificate = generatedCertificate(rs256);
    assertEquals("JWT", jwt.header().getString("typ"));
    assertEquals("RS256", jwt.header().getString("alg"));
    assertEquals(KeyIds.thumbprint(certificate.getPublicKey()), jwt.header().getString("kid"));
    List<X509Certificate> chain = TestCertificates.decodeX5c(jwt.header().getJsonArray("x5c"));
    assertEquals(List.of(certificate), chain);
    TestCertificates.validate(chain, certificate);
    assertTrue(jwt.verifiesWith(certificate.getPublicKey()));
    assertEquals(Set.of("typ", "alg", "kid", "x5c"), jwt.header().fieldNames());
  }

  @Test
  void claimsAreExactlyWhatDistributionReads() throws Exception {
    Jwt first = Jwt.parse(token(rs256, "alice", "repository:alice/app:push,pull"));
    Jwt second = Jwt.parse(token(rs256, "alice", "repository:alice/app:pull"));
    JsonObject claims = first.claims();
    assertEquals(CLAIMS, claims.fieldNames());
    assertEquals(RunningIssuer.ISSUER, claims.getString("iss"));
    assertEquals("alice", claims.getString("sub"));
    assertEquals(RunningIssuer.SERVICE, claims.getValue("aud"), "one string: distribution 2.8 reads no array");
    long iat = claims.getLong("iat");
    assertEquals(iat, claims.getLong("nbf"));
    assertEquals(iat + 300, claims.getLong("exp"));
    assertTrue(Math.abs(iat - System.currentTimeMillis() / 1000) < 60);
    assertTrue(claims.getString("jti").matches("[0-9a-f]{32}"));
    assertNotEquals(claims.getString("jti"), second.claims().getString("jti"));
    assertEquals(new JsonArray().add(new JsonObject().put("type", "repository").put("name", "alice/app")
        .put("actions", new JsonArray().add("pull").add("push"))), claims.getJsonArray("access"));
    assertFalse(first.signingInput().contains("="), "base64url without padding");
  }

  @Test
  void jwksServesTheSigningKeyUnderTheTokensKid() throws Exception {
    var response = rs256.get("/keys");
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    JsonArray keys = new JsonObject(response.body()).getJsonArray("keys");
    assertEquals(1, keys.size());
    JsonObject jwk = keys.getJsonObject(0);
    Jwt jwt = Jwt.parse(token(rs256, "bob", "repository:bob/x:pull"));
    assertEquals(jwt.header().getString("kid"), jwk.getString("kid"));
    assertEquals("RS256", jwk.getString("alg"));
    assertEquals("sig", jwk.getString("use"));
    assertEquals("RSA", jwk.getString("kty"));
    assertFalse(jwk.containsKey("d"), "no private part");
    Base64.Decoder url = Base64.getUrlDecoder();
    PublicKey fromJwk = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
        new BigInteger(1, url.decode(jwk.getString("n"))), new BigInteger(1, url.decode(jwk.getString("e")))));
    assertTrue(jwt.verifiesWith(fromJwk));
    assertEquals(generatedCertificate(rs256).getPublicKey(), fromJwk);
  }

  @Test
  void generatedKeyIsPrivatePkcs8AndReusedAcrossRestarts() throws Exception {
    Path key = rs256.dataDirectory().resolve(SigningKeyLoader.KEY_FILE);
    Path certificate = rs256.dataDirectory().resolve(SigningKeyLoader.CERTIFICATE_FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    assertTrue(Files.readString(certificate).startsWith("-----BEGIN CERTIFICATE-----\n"));
    byte[] keyBefore = Files.readAllBytes(key);
    byte[] certificateBefore = Files.readAllBytes(certificate);
    String kidBefore = Jwt.parse(token(rs256, "alice", "")).header().getString("kid");
    rs256.restart();
    assertArrayEquals(keyBefore, Files.readAllBytes(key));
    assertArrayEquals(certificateBefore, Files.readAllBytes(certificate));
    Jwt after = Jwt.parse(token(rs256, "alice", ""));
    assertEquals(kidBefore, after.header().getString("kid"));
    assertTrue(after.verifiesWith(generatedCertificate(rs256).getPublicKey()));
  }

  @Test
  void es256TokenWithLibtrustKidIsSignedInJoseFormat() throws Exception {
    try (RunningIssuer es256 = RunningIssuer.start(directory.resolve("storage"), RunningIssuer.standardSection(
        RunningIssuer.writeUsers(directory)).put("signing", new JsonObject().put("algorithm", "ES256")
        .put("kid", "libtrust")))) {
      Jwt jwt = Jwt.parse(token(es256, "alice", "repository:alice/app:pull"));
      X509Certificate certificate = generatedCertificate(es256);
      assertEquals("ES256", jwt.header().getString("alg"));
      assertTrue(jwt.header().getString("kid").matches(LIBTRUST_KID), jwt.header().getString("kid"));
      assertEquals(KeyIds.libtrust(certificate.getPublicKey()), jwt.header().getString("kid"));
      assertEquals(64, jwt.signature().length, "R||S, not DER");
      assertTrue(jwt.verifiesWith(certificate.getPublicKey()));
      TestCertificates.validate(TestCertificates.decodeX5c(jwt.header().getJsonArray("x5c")), certificate);
      ECPublicKey key = (ECPublicKey) certificate.getPublicKey();
      assertTrue(key.getW().getAffineX().bitLength() > 248 && key.getW().getAffineY().bitLength() > 248,
          "generated EC keys have no leading zero byte, so every thumbprint convention agrees");
      JsonObject jwk = new JsonObject(es256.get("/keys").body()).getJsonArray("keys").getJsonObject(0);
      assertEquals("EC", jwk.getString("kty"));
      assertEquals("P-256", jwk.getString("crv"));
      assertEquals("ES256", jwk.getString("alg"));
      assertEquals(jwt.header().getString("kid"), jwk.getString("kid"));
    }
  }

  @Test
  void configuredKeyInSec1FormWithACertificateChainSignsAndSendsTheWholeChain() throws Exception {
    KeyPair caKeys = TestCertificates.ecKeys();
    KeyPair leafKeys = TestCertificates.ecKeys();
    X509Certificate ca = TestCertificates.certificate("Test CA", caKeys, "Test CA", caKeys, true);
    X509Certificate leaf = TestCertificates.certificate("token signer", leafKeys, "Test CA", caKeys, false);
    Path key = TestCertificates.writeOpensslEcKey(directory.resolve("signer.key"), leafKeys);
    assertTrue(Files.readString(key).startsWith("-----BEGIN EC PARAMETERS-----"));
    Path chain = TestCertificates.writePem(directory.resolve("signer.crt"), leaf, ca);
    try (RunningIssuer issuer = RunningIssuer.start(directory.resolve("storage"), RunningIssuer.standardSection(
        RunningIssuer.writeUsers(directory)).put("signing", new JsonObject().put("algorithm", "ES256")
        .put("key", key.toString()).put("certificate", chain.toString())))) {
      Jwt jwt = Jwt.parse(token(issuer, "alice", "repository:alice/app:pull"));
      List<X509Certificate> x5c = TestCertificates.decodeX5c(jwt.header().getJsonArray("x5c"));
      assertEquals(List.of(leaf, ca), x5c);
      TestCertificates.validate(x5c, ca);
      assertTrue(jwt.verifiesWith(leaf.getPublicKey()));
      assertEquals(KeyIds.thumbprint(leaf.getPublicKey()), jwt.header().getString("kid"));
      assertFalse(Files.exists(issuer.dataDirectory().resolve(SigningKeyLoader.KEY_FILE)), "nothing generated");
    }
  }

  @Test
  void configuredKeyThatDoesNotBelongToTheCertificateRefusesToStartNamingTheKey() throws Exception {
    KeyPair keys = TestCertificates.ecKeys();
    KeyPair other = TestCertificates.ecKeys();
    Path key = TestCertificates.writeOpensslEcKey(directory.resolve("signer.key"), other);
    Path certificate = TestCertificates.writePem(directory.resolve("signer.crt"),
        TestCertificates.certificate("signer", keys, "signer", keys, false));
    Exception refused = assertThrows(Exception.class, () -> RunningIssuer.start(directory.resolve("storage"),
        new JsonObject().put("signing", new JsonObject().put("algorithm", "ES256").put("key", key.toString())
            .put("certificate", certificate.toString()))));
    assertTrue(refused.getMessage().startsWith("authserver.signing.key: "), refused.getMessage());
    assertTrue(refused.getMessage().contains("does not belong"), refused.getMessage());
  }

  @Test
  void configuredKeyOfTheWrongTypeForTheAlgorithmRefusesToStartNamingTheCertificate() throws Exception {
    KeyPair keys = TestCertificates.rsaKeys();
    Path key = TestCertificates.writePem(directory.resolve("signer.key"), keys.getPrivate());
    assertTrue(Files.readString(key).startsWith("-----BEGIN RSA PRIVATE KEY-----"), "PKCS#1 is read too");
    Path certificate = TestCertificates.writePem(directory.resolve("signer.crt"),
        TestCertificates.certificate("signer", keys, "signer", keys, false));
    Exception refused = assertThrows(Exception.class, () -> RunningIssuer.start(directory.resolve("storage"),
        new JsonObject().put("signing", new JsonObject().put("algorithm", "ES256").put("key", key.toString())
            .put("certificate", certificate.toString()))));
    assertTrue(refused.getMessage().startsWith("authserver.signing.certificate: "), refused.getMessage());
    assertTrue(refused.getMessage().contains("does not fit signing algorithm ES256"), refused.getMessage());
  }

  @Test
  void switchingTheAlgorithmOfAGeneratedKeyIsRefusedRatherThanSilentlyReplacingIt() throws Exception {
    Path storage = directory.resolve("storage");
    RunningIssuer.start(storage, new JsonObject().put("signing", new JsonObject().put("algorithm", "ES256")))
        .close();
    byte[] certificate = Files.readAllBytes(storage.resolve("auth").resolve(SigningKeyLoader.CERTIFICATE_FILE));
    Exception refused = assertThrows(Exception.class, () -> RunningIssuer.start(storage,
        new JsonObject().put("signing", new JsonObject().put("algorithm", "RS256"))));
    assertTrue(refused.getMessage().startsWith("authserver.signing.algorithm: "), refused.getMessage());
    assertArrayEquals(certificate, Files.readAllBytes(storage.resolve("auth")
        .resolve(SigningKeyLoader.CERTIFICATE_FILE)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "ES256"})
  void aGeneratedKeyFoundWithoutItsCertificateGetsACertificateForThatKey(String algorithm) throws Exception {
    Path storage = directory.resolve("storage");
    JsonObject section = RunningIssuer.standardSection(RunningIssuer.writeUsers(directory))
        .put("signing", new JsonObject().put("algorithm", algorithm));
    Path key;
    String kid;
    try (RunningIssuer issuer = RunningIssuer.start(storage, section)) {
      key = issuer.dataDirectory().resolve(SigningKeyLoader.KEY_FILE);
      kid = Jwt.parse(token(issuer, "alice", "")).header().getString("kid");
    }
    byte[] keyBefore = Files.readAllBytes(key);
    // What another instance that has just created the key, or a start stopped between the two files, leaves.
    Files.delete(key.resolveSibling(SigningKeyLoader.CERTIFICATE_FILE));

    try (RunningIssuer issuer = RunningIssuer.start(storage, section)) {
      Jwt jwt = Jwt.parse(token(issuer, "alice", ""));
      assertArrayEquals(keyBefore, Files.readAllBytes(key));
      assertEquals(kid, jwt.header().getString("kid"));
      assertTrue(jwt.verifiesWith(generatedCertificate(issuer).getPublicKey()));
      assertEquals(List.of(generatedCertificate(issuer)),
          TestCertificates.decodeX5c(jwt.header().getJsonArray("x5c")));
    }
  }

  @Test
  void shortestAllowedExpiryIsSixtySeconds() throws Exception {
    try (RunningIssuer issuer = RunningIssuer.start(directory.resolve("storage"), RunningIssuer.standardSection(
        RunningIssuer.writeUsers(directory)).put("expiration", "60s")
        .put("signing", new JsonObject().put("algorithm", "ES256")))) {
      JsonObject body = new JsonObject(issuer.get("/token").body());
      assertEquals(60, body.getLong("expires_in"));
      JsonObject claims = Jwt.parse(body.getString("token")).claims();
      assertEquals(60, claims.getLong("exp") - claims.getLong("iat"));
    }
    Exception refused = assertThrows(Exception.class, () -> RunningIssuer.start(directory.resolve("other"),
        new JsonObject().put("expiration", "59s")));
    assertTrue(refused.getMessage().startsWith("authserver.expiration: "), refused.getMessage());
  }
}
