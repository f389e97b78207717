package io.berth.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvironmentOverridesTest {

  @Test
  void eachUnderscoreIsALevelOfNesting() {
    JsonObject config = EnvironmentOverrides.apply(new JsonObject(), Map.of(
        "REGISTRY_HTTP_ADDR", "127.0.0.1:5100",
        "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/srv/registry"));

    assertEquals(new JsonObject()
        .put("http", new JsonObject().put("addr", "127.0.0.1:5100"))
        .put("storage", new JsonObject().put("filesystem", new JsonObject().put("rootdirectory", "/srv/registry"))),
        config);
  }

  @Test
  void anOverrideReplacesOneValueAndKeepsItsSiblings() {
    JsonObject file = new JsonObject().put("http", new JsonObject().put("addr", ":5000").put("host", "https://r.io"));

    JsonObject config = EnvironmentOverrides.apply(file, Map.of("REGISTRY_HTTP_ADDR", ":5100"));

    assertEquals(new JsonObject().put("http", new JsonObject().put("addr", ":5100").put("host", "https://r.io")),
        config);
  }

  @Test
  void aNumberIsAnIndexIntoAList() {
    JsonObject config = EnvironmentOverrides.apply(new JsonObject(), Map.of(
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", "https://a.example/event",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_1_NAME", "second"));

    assertEquals(new JsonArray()
            .add(new JsonObject().put("url", "https://a.example/event"))
            .add(new JsonObject().put("name", "second")),
        config.getJsonObject("notifications").getJsonArray("endpoints"));
  }

  @Test
  void anIndexIntoAListFromTheFileOverridesOneFieldOfThatEntry() {
    JsonObject file = new JsonObject().put("notifications", new JsonObject().put("endpoints", new JsonArray()
        .add(new JsonObject().put("name", "alistener").put("url", "https://old.example"))));

    JsonObject config = EnvironmentOverrides.apply(file, Map.of(
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", "https://new.example"));

    assertEquals(new JsonObject().put("name", "alistener").put("url", "https://new.example"),
        config.getJsonObject("notifications").getJsonArray("endpoints").getJsonObject(0));
  }

  @Test
  void variablesOutsideTheRegistryPrefixAndTheConfigurationPathAreNotKeys() {
    JsonObject config = EnvironmentOverrides.apply(new JsonObject(), Map.of(
        "PATH", "/usr/bin",
        "HOME", "/root",
        "REGISTRY_", "nothing",
        "REGISTRY_CONFIGURATION_PATH", "/etc/docker/registry/config.yml",
        "registry_http_addr", ":1"));

    assertEquals(new JsonObject(), config);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "true             | java.lang.Boolean",
      "FALSE            | java.lang.Boolean",
      "5000             | java.lang.Long",
      "-3               | java.lang.Long",
      "0.1              | java.lang.Double",
      "1:30             | java.lang.String",
      "127.0.0.1:5100   | java.lang.String",
      "10s              | java.lang.String",
      "yes              | java.lang.String"})
  void valuesAreTypedAsPlainYamlScalarsOnlyForBooleansAndNumbers(String value, Class<?> type) {
    assertEquals(type, EnvironmentOverrides.scalar(value).getClass());
  }

  @Test
  void textValuesKeepTheirExactSpelling() {
    assertEquals("1:30", EnvironmentOverrides.scalar("1:30"));
    assertEquals(Boolean.FALSE, EnvironmentOverrides.scalar("FALSE"));
    assertEquals(5000L, EnvironmentOverrides.scalar("5000"));
  }
}
