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

class RepositoryNameTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "a", "ubuntu", "library/ubuntu", "a0/b-c/d_e", "a__b", "a.b", "a--b", "a---b", "x/y/z/w/v",
      "registry.example.com/team/app", "0"})
  void parseAcceptsNamesOfTheSpecGrammar(String text) {
    assertEquals(text, RepositoryName.parse(text).value());
    assertEquals(text, RepositoryName.parse(text).toString());
    assertTrue(RepositoryName.isValid(text));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
      "Library/ubuntu", "UBUNTU", "a/../b", "..", "../a", "a/..", "a/./b", ".", "a//b", "/a", "a/", "/",
      "a..b", "a___b", "-a", "a-", "_a", "a_", ".a", "a.", "a/-b", "a b", "a:b", "a@b", "a%2fb", "a\\b", "ä"})
  void parseRejectsWithNameInvalid(String text) {
    throwsRegistryError(ErrorCode.NAME_INVALID, () -> RepositoryName.parse(text));
    assertFalse(RepositoryName.isValid(text));
  }

  @Test
  void parseAcceptsExactly255Characters() {
    String name = "a".repeat(127) + "/" + "b".repeat(127);

    assertEquals(255, name.length());
    assertEquals(name, RepositoryName.parse(name).value());
  }

  @Test
  void parseRejects256CharactersWithNameInvalid() {
    String name = "a".repeat(128) + "/" + "b".repeat(127);

    throwsRegistryError(ErrorCode.NAME_INVALID, () -> RepositoryName.parse(name));
    assertFalse(RepositoryName.isValid(name));
  }

  /** The type is its own check (issue #10): no instance holds a name the grammar refuses, however it is made. */
  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"..", "a/..", "../b", "a/./b", "a//b", "a\\b", "a%2fb", "a\u0000b", "/a", "a/"})
  void theConstructorRejectsWhatParseRejects(String text) {
    throwsRegistryError(ErrorCode.NAME_INVALID, () -> new RepositoryName(text));
  }
}
