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

  private static boolean isManifestPush(JsonObject event) {
    return "push".equals(event.getString("action"))
        && MANIFEST.equals(event.getJsonObject("target").getString("mediaType"));
  }

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
            // ES256: generating its key takes a fraction of RSA's, which would slow the cluster's start.
            new BerthCluster.Spec("auth", "auth", Map.of(
                "REGISTRY_AUTHSERVER_ADDR", "127.0.0.1:" + FreePort.onLoopback(),
                "REGISTRY_AUTHSERVER_SIGNING_ALGORITHM", "ES256"))))) {
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
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
