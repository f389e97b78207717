package io.berth.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** distribution's {@code notifications} keys, its defaults, and Berth's queue, status, format and secret keys. */
class NotificationsConfigTest {

  private static RegistryConfig parse(JsonObject notifications) {
    return ConfigParser.parse(new JsonObject()
        .put("storage", new JsonObject().put("filesystem", new JsonObject().put("rootdirectory", "/srv/registry")))
        .put("notifications", notifications));
  }

  private static JsonObject endpoints(JsonObject... endpoints) {
    return new JsonObject().put("endpoints", new JsonArray(List.of((Object[]) endpoints)));
  }

  private static JsonObject minimal(String name) {
    return new JsonObject().put("name", name).put("url", "https://ci.example.com/hook");
  }

  private static ConfigException fails(JsonObject notifications) {
    return assertThrows(ConfigException.class, () -> parse(notifications));
  }

  @Test
  void withoutTheSectionThereAreNoEndpointsAndTheQueueLivesUnderTheStorageRoot() {
    RegistryConfig config = ConfigParser.parse(new JsonObject());

    assertEquals(List.of(), config.notifications().endpoints());
    assertFalse(config.notifications().includeReferences());
    assertEquals(Path.of("./data").resolve("notifications"), config.notifications().queue().directory());
    assertFalse(config.notifications().status().enabled());
  }

  @Test
  void anEndpointWithNameAndUrlTakesDistributionsDefaults() {
    NotificationsConfig config = parse(endpoints(minimal("ci"))).notifications();
    NotificationsConfig.Endpoint endpoint = config.endpoints().get(0);

    assertEquals("ci", endpoint.name());
    assertEquals(URI.create("https://ci.example.com/hook"), endpoint.url());
    assertEquals(Map.of(), endpoint.headers());
    assertEquals(Duration.ofSeconds(1), endpoint.timeout());
    assertEquals(10, endpoint.threshold());
    assertEquals(Duration.ofSeconds(1), endpoint.backoff());
    assertEquals(Duration.ofSeconds(1), endpoint.maxBackoff());
    assertEquals(Set.of(), endpoint.ignoredMediaTypes());
    assertEquals(Set.of(), endpoint.ignoredActions());
    assertFalse(endpoint.disabled());
    assertEquals(NotificationsConfig.Format.V1, endpoint.format());
    assertNull(endpoint.secret());
    assertFalse(config.includeReferences());
    assertEquals(100_000, config.queue().maxEvents());
    assertEquals(Path.of("/srv/registry/notifications"), config.queue().directory());
  }

  @Test
  void everyKeyOfAnEndpointIsRead() {
    JsonObject endpoint = minimal("ci")
        .put("headers", new JsonObject().put("Authorization", new JsonArray().add("Bearer abc")).put("X-One", "1"))
        .put("timeout", "500ms").put("threshold", 3).put("backoff", "2s").put("maxbackoff", "1m")
        .put("ignoredmediatypes", new JsonArray().add("application/octet-stream"))
        .put("ignore", new JsonObject()
            .put("mediatypes", new JsonArray().add("application/vnd.oci.image.layer.v1.tar+gzip"))
            .put("actions", new JsonArray().add("pull").add("mount")))
        .put("disabled", true).put("format", "cloudevents").put("secret", "s3cret");
    RegistryConfig config = parse(endpoints(endpoint)
        .put("events", new JsonObject().put("includereferences", true))
        .put("queue", new JsonObject().put("maxevents", 500).put("directory", "/var/spool/berth"))
        .put("status", new JsonObject().put("addr", "127.0.0.1:5002")));
    NotificationsConfig.Endpoint parsed = config.notifications().endpoints().get(0);

    assertEquals(Map.of("Authorization", List.of("Bearer abc"), "X-One", List.of("1")), parsed.headers());
    assertEquals(Duration.ofMillis(500), parsed.timeout());
    assertEquals(3, parsed.threshold());
    assertEquals(Duration.ofSeconds(2), parsed.backoff());
    assertEquals(Duration.ofMinutes(1), parsed.maxBackoff());
    assertEquals(Set.of("application/octet-stream", "application/vnd.oci.image.layer.v1.tar+gzip"),
        parsed.ignoredMediaTypes());
    assertEquals(Set.of("pull", "mount"), parsed.ignoredActions());
    assertTrue(parsed.disabled());
    assertEquals(NotificationsConfig.Format.CLOUDEVENTS, parsed.format());
    assertEquals("s3cret", parsed.secret());
    assertTrue(config.notifications().includeReferences());
    assertEquals(new NotificationsConfig.Queue(500, Path.of("/var/spool/berth")), config.notifications().queue());
    assertEquals(new NotificationsConfig.Status(true, "127.0.0.1", 5002), config.notifications().status());
    assertEquals(List.of(), config.notifications().enabledEndpoints());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void zeroValuesMeanTheDefaultsAsInDistribution() {
    NotificationsConfig.Endpoint endpoint = parse(endpoints(minimal("ci")
        .put("timeout", "0s").put("threshold", 0).put("backoff", 0))).notifications().endpoints().get(0);

    assertEquals(Duration.ofSeconds(1), endpoint.timeout());
    assertEquals(10, endpoint.threshold());
    assertEquals(Duration.ofSeconds(1), endpoint.backoff());
  }

  @Test
  void formatsV2AndV1AreAccepted() {
    NotificationsConfig config = parse(endpoints(minimal("a").put("format", "v2"), minimal("b").put("format", "V1")))
        .notifications();

    assertEquals(NotificationsConfig.Format.V2, config.endpoints().get(0).format());
    assertEquals(NotificationsConfig.Format.V1, config.endpoints().get(1).format());
  }

  @Test
  void unknownKeysOfAnEndpointAreReportedAsIgnored() {
    RegistryConfig config = parse(endpoints(minimal("ci").put("queuesizelimit", 10)
        .put("ignore", new JsonObject().put("repositories", new JsonArray().add("x")))));

    assertEquals(List.of("notifications.endpoints[0].queuesizelimit", "notifications.endpoints[0].ignore.repositories"),
        config.ignored());
  }

  @Test
  void theSecretNeverAppearsInTheEndpointsText() {
    NotificationsConfig.Endpoint endpoint = parse(endpoints(minimal("ci").put("secret", "do-not-print")
        .put("url", "https://user:password@ci.example.com/hook?token=t"))).notifications().endpoints().get(0);

    assertFalse(endpoint.toString().contains("do-not-print"), endpoint.toString());
    assertFalse(endpoint.toString().contains("password"), endpoint.toString());
    assertFalse(endpoint.toString().contains("token=t"), endpoint.toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "notifications.endpoints[0].name      | {\"url\":\"https://ci.example.com/\"}",
      "notifications.endpoints[0].url       | {\"name\":\"ci\"}",
      "notifications.endpoints[0].url       | {\"name\":\"ci\",\"url\":\"ftp://ci.example.com/\"}",
      "notifications.endpoints[0].url       | {\"name\":\"ci\",\"url\":\"/relative/hook\"}",
      "notifications.endpoints[0].timeout   | {\"name\":\"ci\",\"url\":\"http://h/\",\"timeout\":\"soon\"}",
      "notifications.endpoints[0].threshold | {\"name\":\"ci\",\"url\":\"http://h/\",\"threshold\":\"many\"}",
      "notifications.endpoints[0].backoff   | {\"name\":\"ci\",\"url\":\"http://h/\",\"backoff\":\"later\"}",
      "notifications.endpoints[0].maxbackoff | {\"name\":\"ci\",\"url\":\"http://h/\",\"backoff\":\"5s\",\"maxbackoff\":\"1s\"}",
      "notifications.endpoints[0].disabled  | {\"name\":\"ci\",\"url\":\"http://h/\",\"disabled\":\"maybe\"}",
      "notifications.endpoints[0].format    | {\"name\":\"ci\",\"url\":\"http://h/\",\"format\":\"v3\"}",
      "notifications.endpoints[0].secret    | {\"name\":\"ci\",\"url\":\"http://h/\",\"secret\":\"\"}",
      "notifications.endpoints[0].headers   | {\"name\":\"ci\",\"url\":\"http://h/\",\"headers\":[\"X-A\"]}",
      "notifications.endpoints[0].ignore    | {\"name\":\"ci\",\"url\":\"http://h/\",\"ignore\":\"pull\"}",
      "notifications.endpoints[0]           | \"http://h/\""})
  void aBadEndpointValueFailsNamingItsKey(String key, String endpoint) {
    ConfigException error = fails(new JsonObject("{\"endpoints\":[" + endpoint + "]}"));

    assertTrue(error.getMessage().startsWith(key + ": "), error.getMessage());
  }

  @Test
  void twoEndpointsWithOneNameAreRefused() {
    ConfigException error = fails(endpoints(minimal("ci"), minimal("ci")));

    assertTrue(error.getMessage().startsWith("notifications.endpoints[1].name: "), error.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "notifications.queue.maxevents | {\"queue\":{\"maxevents\":0}}",
      "notifications.queue.maxevents | {\"queue\":{\"maxevents\":\"lots\"}}",
      "notifications.queue.directory | {\"queue\":{\"directory\":\" \"}}",
      "notifications.status.addr     | {\"status\":{\"addr\":\"nowhere\"}}",
      "notifications.endpoints       | {\"endpoints\":{\"name\":\"ci\"}}",
      "notifications.events.includereferences | {\"events\":{\"includereferences\":\"perhaps\"}}"})
  void aBadSectionValueFailsNamingItsKey(String key, String notifications) {
    ConfigException error = fails(new JsonObject(notifications));

    assertTrue(error.getMessage().startsWith(key + ": "), error.getMessage());
  }

  @Test
  void environmentVariablesSetEndpointKeysAndCommaSeparatedLists() {
    JsonObject json = EnvironmentOverrides.apply(new JsonObject(), Map.of(
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_NAME", "ci",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", "http://127.0.0.1:9000/hook",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_IGNORE_ACTIONS", "pull, mount",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_THRESHOLD", "4",
        "REGISTRY_NOTIFICATIONS_QUEUE_MAXEVENTS", "50"));

    NotificationsConfig config = ConfigParser.parse(json).notifications();

    assertEquals(Set.of("pull", "mount"), config.endpoints().get(0).ignoredActions());
    assertEquals(4, config.endpoints().get(0).threshold());
    assertEquals(50, config.queue().maxEvents());
  }
}
