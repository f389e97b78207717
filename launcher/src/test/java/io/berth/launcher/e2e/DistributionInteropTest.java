package io.berth.launcher.e2e;

import static io.berth.launcher.e2e.ImageAssertions.assertPulledUnchanged;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.oci.MediaTypes;
import io.berth.common.testing.DistributionRegistry;
import io.berth.common.testing.OciLayoutWriter;
import io.berth.common.testing.TestImage;
import io.berth.launcher.RunningRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One storage directory, two registries: what Berth wrote, CNCF distribution ({@code docker-registry}) serves, and
 * what distribution wrote, Berth serves, each read back with skopeo and over the API.
 */
class DistributionInteropTest {
  private static final int LAYER_BYTES = 192 * 1024;

  @TempDir
  Path temp;
  private Path root;
  private Skopeo skopeo;
  private TestImage image;
  private TestImage index;

  @BeforeEach
  void writeImages() throws Exception {
    root = temp.resolve("storage");
    skopeo = new Skopeo(temp.resolve("skopeo"));
    OciLayoutWriter images = OciLayoutWriter.create(temp.resolve("images"), 23);
    image = images.image("1.0", 2, LAYER_BYTES);
    index = images.index("multi", 1, LAYER_BYTES);
  }

  @Test
  void distributionServesWhatBerthWrote() throws Exception {
    try (RunningRegistry berth = RunningRegistry.start(root, Map.of())) {
      push(berth.hostPort());
    }

    try (DistributionRegistry distribution = DistributionRegistry.onFilesystem(root).start(temp)) {
      assertServes(distribution.hostPort());
    }
  }

  @Test
  void berthServesWhatDistributionWrote() throws Exception {
    try (DistributionRegistry distribution = DistributionRegistry.onFilesystem(root).start(temp)) {
      push(distribution.hostPort());
    }

    try (RunningRegistry berth = RunningRegistry.start(root, Map.of())) {
      assertServes(berth.hostPort());
    }
  }

  private void push(String registry) throws Exception {
    Path layout = temp.resolve("images");
    skopeo.push(layout, image.tag(), registry + "/interop/app:" + image.tag());
    skopeo.push(layout, index.tag(), registry + "/interop/multi:" + index.tag(), "--all");
  }

  private void assertServes(String registry) throws Exception {
    assertPulledUnchanged(image,
        skopeo.pull(registry + "/interop/app:" + image.tag(), temp.resolve("by-tag"), image.tag()));
    assertPulledUnchanged(image,
        skopeo.pull(registry + "/interop/app@" + image.digest(), temp.resolve("by-digest"), image.tag()));
    assertPulledUnchanged(index,
        skopeo.pull(registry + "/interop/multi:" + index.tag(), temp.resolve("index"), index.tag(), "--all"));

    RegistryHttp http = new RegistryHttp(registry);
    for (String reference : List.of(image.tag(), image.digest())) {
      HttpResponse<byte[]> manifest = http.manifest("interop/app", reference);
      assertArrayEquals(image.manifest(), manifest.body(), reference);
      assertEquals(image.digest(), manifest.headers().firstValue("Docker-Content-Digest").orElseThrow(), reference);
      assertEquals(MediaTypes.OCI_MANIFEST, manifest.headers().firstValue("Content-Type").orElseThrow());
    }
    assertEquals(List.of("interop/app", "interop/multi"), http.catalog());
    assertEquals(List.of(image.tag()), http.tags("interop/app"));
    assertEquals(List.of(index.tag()), http.tags("interop/multi"));
  }
}
