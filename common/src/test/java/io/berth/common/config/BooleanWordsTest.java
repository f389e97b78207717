package io.berth.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A boolean key takes the words distribution's yaml.v2 reads as booleans ({@code yes}, {@code on}, {@code y}, and
 * their negatives) from a variable, which distribution decodes with the same YAML, and as text in the file: what
 * {@code check-config --format json} prints for {@code enabled: yes} ("yes"), fed back, is the same configuration.
 */
@ExtendWith(VertxExtension.class)
class BooleanWordsTest {
  private ConfigFixture fixture;

  @BeforeEach
  void readThroughTheLoader(Vertx vertx, @TempDir Path dir) {
    fixture = new ConfigFixture(vertx, dir);
  }

  @ParameterizedTest
  @CsvSource({"yes, true", "Yes, true", "YES, true", "on, true", "ON, true", "y, true", "Y, true",
      "no, false", "No, false", "off, false", "OFF, false", "n, false", "N, false"})
  void aBooleanKeyFromTheEnvironmentTakesYamlsWords(String written, boolean expected) throws IOException {
    RegistryConfig config = fixture.load(null, Map.of(
        "REGISTRY_STORAGE_DELETE_ENABLED", written,
        "REGISTRY_HTTP_RELATIVEURLS", written));

    assertEquals(expected, config.storage().deleteEnabled());
    assertEquals(expected, config.http().relativeUrls());
  }

  @ParameterizedTest
  @CsvSource({"'\"yes\"', true", "'\"off\"', false", "y, true", "n, false"})
  void aBooleanKeyInTheFileTakesThemAsText(String written, boolean expected) throws IOException {
    RegistryConfig config = fixture.load("storage:\n  delete:\n    enabled: " + written + "\n", Map.of());

    assertEquals(expected, config.storage().deleteEnabled());
  }
}
