package io.berth.common.oci;

import static io.berth.common.testing.Await.throwsRegistryError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TagTest {

  @ParameterizedTest
  @ValueSource(strings = {"latest", "v1.0.0", "1", "_private", "A-b_c.D", "sha256-abc.sig", "3.19.1-alpine"})
  void parseAcceptsTagsOfTheSpecGrammar(String tag) {
    assertTrue(Tag.isValid(tag));
    assertEquals(tag, Tag.parse(tag).value());
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {".hidden", "-dash", "a/b", "a:b", "a@b", "a b", "ä", "v1+build", ".", "..", "a\\b", "a\u0000"})
  void parseRejectsWithTagInvalid(String tag) {
    assertFalse(Tag.isValid(tag));
    throwsRegistryError(ErrorCode.TAG_INVALID, () -> Tag.parse(tag));
    throwsRegistryError(ErrorCode.TAG_INVALID, () -> new Tag(tag));
  }

  @Test
  void parseAcceptsExactly128Characters() {
    String tag = "t".repeat(128);

    assertEquals(tag, Tag.parse(tag).value());
  }

  @Test
  void parseRejects129CharactersWithTagInvalid() {
    String tag = "t".repeat(129);

    throwsRegistryError(ErrorCode.TAG_INVALID, () -> Tag.parse(tag));
  }
}
