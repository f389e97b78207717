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
  void requireAcceptsTagsOfTheSpecGrammar(String tag) {
    assertTrue(Tag.isValid(tag));
    assertEquals(tag, Tag.require(tag));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {".hidden", "-dash", "a/b", "a:b", "a@b", "a b", "ä", "v1+build"})
  void requireRejectsWithTagInvalid(String tag) {
    assertFalse(Tag.isValid(tag));
    throwsRegistryError(ErrorCode.TAG_INVALID, () -> Tag.require(tag));
  }

  @Test
  void requireAcceptsExactly128Characters() {
    String tag = "t".repeat(128);

    assertEquals(tag, Tag.require(tag));
  }

  @Test
  void requireRejects129CharactersWithTagInvalid() {
    String tag = "t".repeat(129);

    throwsRegistryError(ErrorCode.TAG_INVALID, () -> Tag.require(tag));
  }
}
