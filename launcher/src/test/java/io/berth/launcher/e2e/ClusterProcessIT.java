package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Berth scaled out as an operator runs it: eight packaged launchers on one Hazelcast cluster (two gateways, two blob
 * services, two manifest services, a notification service and a token issuer) over one storage directory. The
 * cluster takes most of a minute to form on two cores, so the tests share it; each leaves at least one member of
 * every kind running.
 */
class ClusterProcessIT {
  private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  @TempDir
  static Path temp;
  private static Vertx vertx;
  private static WebhookReceiver webhook;
  private static BerthCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    vertx = Vertx.vertx();
    webhook = WebhookReceiver.start(vertx);
    cluster = BerthCluster.start(temp, Map.of(), List.of(
        new BerthCluster.Spec("gateway-a", "gateway"),
        new BerthCluster.Spec("gateway-b", "gateway"),
        new BerthCluster.Spec("blob-a", "blob"),
        new BerthCluster.Spec("blob-b", "blob"),
        new BerthCluster.Spec("manifest-a", "manifest"),
        new BerthCluster.Spec("manifest-b", "manifest"),
        new BerthCluster.Spec("notification", "notification", Map.of(
            "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_NAME", "cluster-it",
            "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", webhook.url())),
        // ES256: generating its key takes a fraction of RSA's, which would slow the cluster's start.
        new BerthCluster.Spec("auth", "auth", Map.of(
            "REGISTRY_AUTHSERVER_ADDR", "127.0.0.1:" + FreePort.onLoopback(),
            "REGISTRY_AUTHSERVER_SIGNING_ALGORITHM", "ES256"))));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
      if (webhook != null) {
        webhook.close();
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static boolean isManifestPush(JsonObject event) {
    return "push".equals(event.getString("action"))
        && MANIFEST.equals(event.getJsonObject("target").getString("mediaType"));
  }

  @Test
  void anImagePushedThroughOneGatewayIsPulledUnchangedThroughAnotherAndItsPushReachesTheWebhook() throws Exception {
    OciLayoutWriter images = OciLayoutWriter.create(temp.resolve("images"), 41);
    TestImage image = images.image("1.0", 2, 256 * 1024);
    Skopeo skopeo = new Skopeo(temp.resolve("skopeo"));

    try {
      skopeo.push(images.dir(), "1.0", cluster.member("gateway-a").hostPort() + "/cluster/app:1.0");
      PulledLayout pulled = skopeo.pull(cluster.member("gateway-b").hostPort() + "/cluster/app:1.0",
          temp.resolve("pulled"), "1.0");

      ImageAssertions.assertPulledUnchanged(image, pulled);
      JsonObject target = webhook.awaitEvent(ClusterProcessIT::isManifestPush).stream()
          .map(WebhookReceiver.Delivery::event).filter(ClusterProcessIT::isManifestPush).findFirst().orElseThrow()
          .getJsonObject("target");
      assertEquals("cluster/app", target.getString("repository"), target::encode);
      assertEquals("1.0", target.getString("tag"), target::encode);
      assertEquals(image.digest(), target.getString("digest"), target::encode);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + cluster.logs(), e);
    }
  }

  @Test
  void aMemberStoppedBySigtermLeavesTheClusterAndExitsZero() throws Exception {
    BerthCluster.Member leaving = cluster.member("manifest-b");

    int exit = leaving.process().terminate(Duration.ofSeconds(30));

    String log = leaving.process().log();
    assertEquals(0, exit, log);
    assertTrue(log.contains("shutting down: finishing in-flight requests"), log);
    assertTrue(log.contains("stopped"), log);
    cluster.member("gateway-a").process().awaitLine(line -> line.contains(
        "cluster member left [member: [127.0.0.1]:" + leaving.clusterPort() + ", members: 7]"), Duration.ofSeconds(30));
  }
}
