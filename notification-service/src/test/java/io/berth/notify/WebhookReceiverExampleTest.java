package io.berth.notify;

import static io.berth.notify.RunningNotifications.endpoint;
import static io.berth.notify.RunningNotifications.endpoints;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.bus.message.RegistryEvent;
import io.berth.common.testing.ChildProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI example of {@code deploy/examples/webhook-receiver}, run as it ships (python3, standard library) against the
 * notification service: it checks the signature, drops a duplicate id, and deploys matching tag pushes only.
 */
@ExtendWith(VertxExtension.class)
class WebhookReceiverExampleTest {
  private static final Path SCRIPT = Path.of("..", "deploy", "examples", "webhook-receiver", "receiver.py");
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final String SECRET = "ci-shared-secret";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir
  Path directory;

  private ChildProcess receiver;
  private RunningNotifications notifications;

  @AfterEach
  void stop() throws Exception {
    if (notifications != null) {
      notifications.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private String startReceiver(Path deployed) throws Exception {
    Map<String, String> environment = new HashMap<>();
    environment.put("BERTH_WEBHOOK_SECRET", SECRET);
    environment.put("LISTEN", "127.0.0.1:0");
    environment.put("STATE_FILE", directory.resolve("seen.txt").toString());
    environment.put("TAG_PATTERN", "v?\\d+\\.\\d+\\.\\d+");
    environment.put("DEPLOY_COMMAND",
        "sh -c 'echo \"$BERTH_REPOSITORY:$BERTH_TAG $BERTH_ACTOR\" >> \"$0\"' " + deployed);
    receiver = ChildProcess.command("python3", SCRIPT.toString()).environment(environment).start();
    return "http://127.0.0.1:" + receiver.awaitPort(LISTENING, TIMEOUT) + "/hook";
  }

  private String awaitLine(Predicate<String> line) throws Exception {
    return receiver.awaitLine(line, TIMEOUT);
  }

  @Test
  void aMatchingTagPushIsDeployedOnceAndOtherEventsAreNot(Vertx vertx) throws Exception {
    Path deployed = directory.resolve("deployed.txt");
    String url = startReceiver(deployed);
    notifications = RunningNotifications.start(vertx, directory.resolve("registry"),
        endpoints(endpoint("ci", url).put("secret", SECRET)));
    RegistryEvent release = TestEvents.manifestPush(TestEvents.newId(), "team/app", "v1.2.3");

    notifications.publish(release);
    notifications.publish(TestEvents.blob(TestEvents.newId(), RegistryEvent.PUSH, "team/app"));
    notifications.publish(TestEvents.manifestPush(TestEvents.newId(), "team/app", "latest"));
    notifications.publish(release);
    notifications.publish(TestEvents.manifestPush(TestEvents.newId(), "team/web", "2.0.0"));

    awaitLine(line -> line.contains("duplicate event " + release.id() + " dropped"));
    awaitLine(line -> line.contains("deploy of team/web:2.0.0 exited with 0"));
    assertEquals(List.of("team/app:v1.2.3 alice", "team/web:2.0.0 alice"), Files.readAllLines(deployed));
    JsonObject status = notifications.awaitEndpoint("ci", endpoint -> endpoint.getLong("delivered") == 5);
    assertEquals(202, status.getInteger("lastStatus"));
  }

  @Test
  void cloudEventsAreUnderstoodAndAWrongSecretIsRefused(Vertx vertx) throws Exception {
    Path deployed = directory.resolve("deployed.txt");
    String url = startReceiver(deployed);
    notifications = RunningNotifications.start(vertx, directory.resolve("registry"), endpoints(
        endpoint("ce", url).put("secret", SECRET).put("format", "cloudevents"),
        endpoint("forged", url).put("secret", "not-the-secret").put("backoff", "1h")));

    notifications.publish(TestEvents.manifestPush(TestEvents.newId(), "team/app", "3.1.4"));

    awaitLine(line -> line.contains("deploy of team/app:3.1.4 exited with 0"));
    JsonObject forged = notifications.awaitEndpoint("forged", endpoint -> endpoint.getLong("failed") >= 1);
    assertEquals(401, forged.getInteger("lastStatus"));
    assertEquals(1, forged.getLong("pending"));
    assertEquals(List.of("team/app:3.1.4 alice"), Files.readAllLines(deployed));
    assertEquals(1, Files.readString(directory.resolve("seen.txt")).lines().count());
  }
}
