package io.berth.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The layout's second check of every identifier: whatever a type lets through, no component becomes a climb, a
 * separator or a character outside its kind's set.
 */
class PathComponentTest {
  @ParameterizedTest
  @EnumSource(PathComponent.class)
  void noKindTakesADotSegmentASeparatorOrAControlCharacter(PathComponent kind) {
    for (String text : new String[] {null, "", ".", "..", "a/b", "a\\b", "a\u0000", "a\n", "a b", "a%2fb", "ä"}) {
      assertThrows(IllegalArgumentException.class, () -> kind.check(text), () -> kind + " took " + text);
    }
  }

  @Test
  void eachKindTakesTheCharactersOfItsGrammar() {
    assertEquals("ubuntu-22.04_x", PathComponent.REPOSITORY_NAME.check("ubuntu-22.04_x"));
    assertEquals("V1.0-rc_1", PathComponent.TAG.check("V1.0-rc_1"));
    assertEquals("sha256", PathComponent.ALGORITHM.check("sha256"));
    assertEquals("0123456789abcdef", PathComponent.HEX.check("0123456789abcdef"));
    assertEquals("4f1e8c52-9d3a-4b7e-8f00-0123456789ab",
        PathComponent.UPLOAD_ID.check("4f1e8c52-9d3a-4b7e-8f00-0123456789ab"));
  }

  @Test
  void aKindRefusesWhatOnlyAnotherKindTakes() {
    assertThrows(IllegalArgumentException.class, () -> PathComponent.REPOSITORY_NAME.check("Upper"));
    assertThrows(IllegalArgumentException.class, () -> PathComponent.HEX.check("ABCDEF"));
    assertThrows(IllegalArgumentException.class, () -> PathComponent.ALGORITHM.check("sha-256"));
    assertThrows(IllegalArgumentException.class, () -> PathComponent.UPLOAD_ID.check("4f1e8c52.9d3a"));
  }

  @Test
  void aRepositoryNameIsCheckedPartByPart() {
    assertEquals("library/ubuntu", PathComponent.REPOSITORY_NAME.checkEach("library/ubuntu"));
  }

  /**
   * A repository's own directories start with an underscore ({@code _layers}, {@code _manifests}, {@code _uploads}),
   * and listings skip names starting with a dot (temporary files): a name component starting with either would reach
   * into another repository's internals or hide from purging and collection, whatever the name's grammar let through.
   */
  @ParameterizedTest
  @ValueSource(strings = {"alice/app/_uploads", "alice/_manifests", "_layers", "alice/.tmp-x", ".hidden/app",
      "alice/-x"})
  void aRepositoryNameComponentStartsWithALetterOrDigit(String text) {
    assertThrows(IllegalArgumentException.class, () -> PathComponent.REPOSITORY_NAME.checkEach(text));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"a/../b", "../b", "a/..", "a/./b", "a//b", "/a", "a/", "a\\b/c"})
  void aRepositoryNameWithAnEmptyOrDotPartIsRefused(String text) {
    assertThrows(IllegalArgumentException.class, () -> PathComponent.REPOSITORY_NAME.checkEach(text));
  }
}
