package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.testing.PulledLayout;
import io.berth.common.testing.TestImage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Compares what a client pulled back with what a test pushed. */
final class ImageAssertions {
  private ImageAssertions() {
  }

  /** Nothing was converted: the same top digest and exactly the same blobs, byte for byte. */
  static void assertPulledUnchanged(TestImage pushed, PulledLayout pulled) {
    assertEquals(pushed.digest(), pulled.digest(pushed.tag()), "top manifest digest of " + pushed.tag());
    assertEquals(pushed.blobs().keySet(), pulled.blobs().keySet(), "blobs of " + pushed.tag());
    pushed.blobs().forEach((digest, content) -> assertArrayEquals(content, pulled.blobs().get(digest), digest));
  }

  /**
   * The manifest was converted on the way (Docker v2s2 pushed, OCI pulled), so its digest changed, and skopeo
   * re-encodes the config when it converts to OCI, so the config is compared as JSON; the layers must be the very
   * same blobs.
   */
  static void assertPulledSameContent(TestImage pushed, PulledLayout pulled) {
    TestImage.Platform image = pushed.image();
    JsonObject manifest = pulled.json(pulled.digest(pushed.tag()));
    assertEquals(image.layers(), layerDigests(manifest), "layer digests");
    for (String layer : image.layers()) {
      assertArrayEquals(pushed.blobs().get(layer), pulled.blobs().get(layer), layer);
    }
    assertEquals(new JsonObject(Buffer.buffer(pushed.blobs().get(image.config()))),
        pulled.json(manifest.getJsonObject("config").getString("digest")), "config");
  }

  static List<String> layerDigests(JsonObject manifest) {
    return manifest.getJsonArray("layers").stream().map(layer -> ((JsonObject) layer).getString("digest")).toList();
  }
}
