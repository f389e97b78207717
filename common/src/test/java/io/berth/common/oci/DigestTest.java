package io.berth.common.oci;

import static io.berth.common.testing.Await.throwsRegistryError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {
  private static final String HEX64 = "a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4";
  private static final String HEX128 = HEX64 + HEX64;

  @Test
  void parseSplitsAlgorithmAndHexAndPrintsTheSameText() {
    Digest digest = Digest.parse("sha256:" + HEX64);

    assertEquals("sha256", digest.algorithm());
    assertEquals(HEX64, digest.hex());
    assertEquals("sha256:" + HEX64, digest.toString());
    assertEquals("SHA-256", digest.jcaName());
  }

  @Test
  void parseAcceptsSha512() {
    Digest digest = Digest.parse("sha512:" + HEX128);

    assertEquals("sha512", digest.algorithm());
    assertEquals("SHA-512", digest.jcaName());
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
      "sha256", "sha256:", ":" + HEX64, "sha256-" + HEX64, "SHA256:" + HEX64, "sha256:" + HEX64 + " ",
      "md5:d41d8cd98f00b204e9800998ecf8427e", "sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709",
      "sha256:" + "a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d",
      "sha256:" + HEX64 + "0", "sha256:A3ED95CAEB02FFE68CDD9FD84406680AE93D633CB16422D00E8A7C22955B46D4",
      "sha256:g3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4", "sha512:" + HEX64,
      "sha256:../../etc/passwd"})
  void parseRejectsWithDigestInvalid(String text) {
    throwsRegistryError(ErrorCode.DIGEST_INVALID, () -> Digest.parse(text));
  }

  @Test
  void sha256OfRawBytesMatchesTheJdkHex() throws Exception {
    byte[] raw = MessageDigest.getInstance("SHA-256").digest("hello".getBytes(StandardCharsets.UTF_8));

    Digest digest = Digest.sha256(raw);

    assertEquals("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", digest.toString());
    assertEquals(HexFormat.of().formatHex(raw), digest.hex());
  }

  @Test
  void isDigestTellsDigestsFromTagsByTheColon() {
    assertTrue(Digest.isDigest("sha256:" + HEX64));
    assertTrue(Digest.isDigest("md5:x"));
    assertFalse(Digest.isDigest("latest"));
    assertFalse(Digest.isDigest(":leading"));
    assertFalse(Digest.isDigest(null));
  }

  /** The type is its own check (issue #10): no instance names a directory outside the blob store's grammar. */
  @Test
  void theConstructorRejectsWhatParseRejects() {
    String hex = "ab".repeat(32);
    for (String[] parts : new String[][] {{"sha256", "../" + hex.substring(3)}, {"sha256", hex.toUpperCase()},
        {"..", hex}, {"sha256/..", hex}, {"md5", hex}, {"sha256", hex + "/.."}, {"sha256", ""}, {null, hex},
        {"sha256", null}, {"sha512", hex}}) {
      throwsRegistryError(ErrorCode.DIGEST_INVALID, () -> new Digest(parts[0], parts[1]));
    }
    assertEquals(Digest.parse("sha256:" + hex), new Digest("sha256", hex));
  }
}
