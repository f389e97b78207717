package io.berth.launcher.e2e;

import io.berth.common.oci.MediaTypes;
import io.berth.common.oci.Sha256;
import io.berth.common.testing.OciLayoutWriter;
import io.berth.common.testing.TestImage;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static io.berth.launcher.e2e.ImageAssertions.assertPulledSameContent;
import static io.berth.launcher.e2e.ImageAssertions.assertPulledUnchanged;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** skopeo pushes to and pulls from an all-in-one Berth: OCI images, Docker v2s2 images and multi-arch indexes. */
class SkopeoEndToEndTest {
  private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  private static final int LAYER_BYTES = 256 * 1024;

  @TempDir
  Path temp;
  private RunningRegistry registry;
  private RegistryHttp http;
  private Skopeo skopeo;
  private OciLayoutWriter images;

  @BeforeEach
  void startRegistry() throws Exception {
    registry = RunningRegistry.start(temp.resolve("storage"), Map.of());
    http = new RegistryHttp(registry.hostPort());
    skopeo = new Skopeo(temp.resolve("skopeo"));
    images = OciLayoutWriter.create(temp.resolve("images"), 7);
  }

  @AfterEach
  void stopRegistry() throws Exception {
    registry.close();
  }

  @Test
  void ociImagePushedWithSkopeoPullsBackWithTheSameDigestsAndBytes() throws Exception {
    TestImage image = images.image("1.0", 3, LAYER_BYTES);

    skopeo.push(images.dir(), "1.0", registry.hostPort() + "/e2e/oci:1.0");

    HttpResponse<byte[]> stored = http.manifest("e2e/oci", "1.0");
    assertEquals(MediaTypes.OCI_MANIFEST, stored.headers().firstValue("Content-Type").orElseThrow());
    assertArrayEquals(image.manifest(), stored.body());
    assertPulledUnchanged(image, skopeo.pull(registry.hostPort() + "/e2e/oci:1.0", temp.resolve("pulled"), "1.0"));
  }

  @Test
  void dockerV2s2PushIsStoredAsADockerManifestAndPullsBackWithTheSameConfigAndLayers() throws Exception {
    TestImage image = images.image("v2s2", 2, LAYER_BYTES);

    skopeo.push(images.dir(), "v2s2", registry.hostPort() + "/e2e/docker:v2s2", "--format", "v2s2");

    HttpResponse<byte[]> stored = http.manifest("e2e/docker", "v2s2");
    JsonObject manifest = new JsonObject(Buffer.buffer(stored.body()));
    assertEquals(DOCKER_MANIFEST, stored.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(DOCKER_MANIFEST, manifest.getString("mediaType"));
    assertEquals(Sha256.of(stored.body()).toString(), stored.headers().firstValue("Docker-Content-Digest").orElseThrow());
    assertEquals(image.image().config(), manifest.getJsonObject("config").getString("digest"));
    assertEquals(image.image().layers(), ImageAssertions.layerDigests(manifest));
    assertArrayEquals(image.blobs().get(image.image().config()),
        http.get("/v2/e2e/docker/blobs/" + image.image().config()).body());
    assertPulledSameContent(image,
        skopeo.pull(registry.hostPort() + "/e2e/docker:v2s2", temp.resolve("pulled"), "v2s2"));
  }

  @Test
  void multiArchIndexPushedWithAllPullsBackWithEveryPlatform() throws Exception {
    TestImage index = images.index("multi", 2, LAYER_BYTES);

    skopeo.push(images.dir(), "multi", registry.hostPort() + "/e2e/multi:multi", "--all");

    HttpResponse<byte[]> stored = http.manifest("e2e/multi", "multi");
    assertEquals(MediaTypes.OCI_INDEX, stored.headers().firstValue("Content-Type").orElseThrow());
    assertArrayEquals(index.manifest(), stored.body());
    for (TestImage.Platform platform : index.platforms()) {
      assertArrayEquals(index.blobs().get(platform.manifest()),
          http.manifest("e2e/multi", platform.manifest()).body(), platform.architecture());
    }
    assertPulledUnchanged(index,
        skopeo.pull(registry.hostPort() + "/e2e/multi:multi", temp.resolve("pulled"), "multi", "--all"));
  }

  @Test
  void skopeoInspectAndListTagsSeeWhatWasPushed() throws Exception {
    TestImage first = images.image("1.0", 2, LAYER_BYTES);
    TestImage second = images.image("2.0", 1, LAYER_BYTES);
    skopeo.push(images.dir(), "1.0", registry.hostPort() + "/e2e/inspected:1.0");
    skopeo.push(images.dir(), "2.0", registry.hostPort() + "/e2e/inspected:2.0");

    JsonObject inspected = skopeo.inspect(registry.hostPort() + "/e2e/inspected:1.0");

    assertEquals(first.digest(), inspected.getString("Digest"));
    assertEquals(first.image().layers(), inspected.getJsonArray("Layers").getList());
    assertEquals("amd64", inspected.getString("Architecture"));
    assertEquals("linux", inspected.getString("Os"));
    assertArrayEquals(second.manifest(), skopeo.inspectRaw(registry.hostPort() + "/e2e/inspected:2.0"));
    assertEquals(List.of("1.0", "2.0"), skopeo.listTags(registry.hostPort() + "/e2e/inspected"));
  }
}
