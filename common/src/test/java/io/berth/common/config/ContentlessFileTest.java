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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A file with no keys in it (empty, a blank line, only comments, a lone document marker) is no keys, as an empty
 * file is: a mounted placeholder with every key commented out, configured by {@code REGISTRY_*} variables, starts.
 */
@ExtendWith(VertxExtension.class)
class ContentlessFileTest {
  private ConfigFixture fixture;

  @BeforeEach
  void readThroughTheLoader(Vertx vertx, @TempDir Path dir) {
    fixture = new ConfigFixture(vertx, dir);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n", "   \n\n", "# configured by REGISTRY_* variables\n", "---\n", "# a\n#version: 0.1\n"})
  void isNoKeysAndTheVariablesConfigure(String text) throws IOException {
    RegistryConfig config = fixture.load(text, Map.of("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/srv/registry"));

    assertEquals(Path.of("/srv/registry"), config.storage().rootDirectory());
  }
}
