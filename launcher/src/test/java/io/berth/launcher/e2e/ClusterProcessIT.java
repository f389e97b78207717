package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Berth scaled out as an operator runs it: eight packaged launchers on one Hazelcast cluster (two gateways, two blob
 * services, two manifest services, a notification service and a token issuer) over one storage directory.
 */
class ClusterProcessIT {
  private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  @TempDir
  Path temp;

  @Test
  void anImagePushedThroughOneGatewayIsPulledUnchangedThroughAnotherAndItsPushReachesTheWebhook() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (WebhookReceiver webhook = WebhookReceiver.start(vertx);
        BerthCluster cluster = BerthCluster.start(temp, Map.of(), List.of(
            new BerthCluster.Spec("gateway-a", "gateway"),
            new BerthCluster.Spec("gateway-b", "gateway"),
            new BerthCluster.Spec("blob-a", "blob"),
            new BerthCluster.Spec("blob-b", "blob"),
            new BerthCluster.Spec("manifest-a", "manifest"),
            new BerthCluster.Spec("manifest-b", "manifest"),
            new BerthCluster.Spec("notification", "notification", Map.of(
                "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_NAME", "cluster-it",
                "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", webhook.url())),
            new BerthCluster.Spec("auth", "auth", Map.of(
                "REGISTRY_AUTHSERVER_ADDR", "127.0.0.1:" + FreePort.onLoopback()))))) {
      OciLayoutWriter images = OciLayoutWriter.create(temp.resolve("images"), 41);
      TestImage image = images.image("1.0", 2, 256 * 1024);
      Skopeo skopeo = new Skopeo(temp.resolve("skopeo"));

      skopeo.push(images.dir(), "1.0", cluster.member("gateway-a").hostPort() + "/cluster/app:1.0");
      PulledLayout pulled = skopeo.pull(cluster.member("gateway-b").hostPort() + "/cluster/app:1.0",
          temp.resolve("pulled"), "1.0");

      ImageAssertions.assertPulledUnchanged(image, pulled);
      JsonObject target = webhook.awaitEvent(event -> "push".equals(event.getString("action"))
          && MANIFEST.equals(event.getJsonObject("target").getString("mediaType"))).stream()
          .map(WebhookReceiver.Delivery::event)
          .filter(event -> MANIFEST.equals(event.getJsonObject("target").getString("mediaType")))
          .findFirst().orElseThrow().getJsonObject("target");
      assertEquals("cluster/app", target.getString("repository"), target::encode);
      assertEquals("1.0", target.getString("tag"), target::encode);
      assertEquals(image.digest(), target.getString("digest"), target::encode);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
