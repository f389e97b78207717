package io.berth.common.oci;

import static io.berth.common.testing.Await.throwsRegistryError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceTest {
  private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

  @Test
  void parseOfATagHoldsTheTagOnly() {
    Reference reference = Reference.parse("v1.2");

    assertFalse(reference.isDigest());
    assertEquals(new Tag("v1.2"), reference.tag());
    assertNull(reference.digest());
    assertEquals("v1.2", reference.toString());
  }

  @Test
  void parseOfADigestHoldsTheDigestOnly() {
    Reference reference = Reference.parse(DIGEST);

    assertTrue(reference.isDigest());
    assertNull(reference.tag());
    assertEquals(Digest.parse(DIGEST), reference.digest());
    assertEquals(DIGEST, reference.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha256:abc", "md5:d41d8cd98f00b204e9800998ecf8427e", "latest:tag",
      "sha256:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"})
  void parseRejectsAnythingWithAColonThatIsNotADigestWithDigestInvalid(String text) {
    throwsRegistryError(ErrorCode.DIGEST_INVALID, () -> Reference.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".v1", "-v1", "a/b", "v1 "})
  void parseRejectsBadTagsWithTagInvalid(String text) {
    throwsRegistryError(ErrorCode.TAG_INVALID, () -> Reference.parse(text));
  }

  @Test
  void parseRejectsOverlongTagsWithTagInvalid() {
    throwsRegistryError(ErrorCode.TAG_INVALID, () -> Reference.parse("v".repeat(129)));
  }
}
