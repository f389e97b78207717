package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import io.berth.common.testing.PulledLayout;
import io.berth.common.testing.TarGz;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jib (jib-core, as its Maven and Gradle plugins use it) builds an image of two layers from scratch and pushes it
 * to Berth; skopeo pulls it back.
 */
class JibEndToEndTest {
  private static final byte[] PROPERTIES = "greeting=hello from jib\n".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path temp;
  private RunningRegistry registry;
  private RegistryHttp http;
  private byte[] jar;

  @BeforeEach
  void startRegistry() throws Exception {
    registry = RunningRegistry.start(temp.resolve("storage"), Map.of());
    http = new RegistryHttp(registry.hostPort());
    jar = new byte[300 * 1024];
    new SplittableRandom(11).nextBytes(jar);
  }

  @AfterEach
  void stopRegistry() throws Exception {
    registry.close();
  }

  @Test
  void jibDockerImageHasTheRegistrysDigestAndPullsBackWithItsFiles() throws Exception {
    JibContainer container = containerize("jib/docker:1", ImageFormat.Docker);

    assertEquals(container.getDigest().toString(), http.manifestDigest("jib/docker", "1"));
    JsonObject stored = new JsonObject(Buffer.buffer(http.manifest("jib/docker", "1").body()));
    assertEquals("application/vnd.docker.distribution.manifest.v2+json", stored.getString("mediaType"));
    assertEquals(container.getImageId().toString(), stored.getJsonObject("config").getString("digest"));
    // Pulled into an OCI layout the manifest is converted; the layers are the very blobs Jib pushed.
    PulledLayout pulled = pull("jib/docker:1");
    List<String> layers = ImageAssertions.layerDigests(pulled.json(pulled.digest("1")));
    assertEquals(ImageAssertions.layerDigests(stored), layers);
    assertLayersHoldTheFiles(pulled, layers);
  }

  @Test
  void jibOciImagePullsBackUnchanged() throws Exception {
    JibContainer container = containerize("jib/oci:1", ImageFormat.OCI);

    assertEquals(container.getDigest().toString(), http.manifestDigest("jib/oci", "1"));
    PulledLayout pulled = pull("jib/oci:1");
    assertEquals(container.getDigest().toString(), pulled.digest("1"));
    JsonObject manifest = pulled.json(pulled.digest("1"));
    assertEquals(container.getImageId().toString(), manifest.getJsonObject("config").getString("digest"));
    assertLayersHoldTheFiles(pulled, ImageAssertions.layerDigests(manifest));
  }

  private JibContainer containerize(String image, ImageFormat format) throws Exception {
    Path files = Files.createDirectories(temp.resolve("files"));
    Path jarFile = Files.write(files.resolve("app.jar"), jar);
    Path propertiesFile = Files.write(files.resolve("app.properties"), PROPERTIES);
    return Jib.fromScratch()
        .setFormat(format)
        .addLayer(List.of(jarFile), AbsoluteUnixPath.get("/app"))
        .addLayer(List.of(propertiesFile), AbsoluteUnixPath.get("/app/config"))
        .setEntrypoint("java", "-jar", "/app/app.jar")
        .containerize(Containerizer.to(RegistryImage.named(registry.hostPort() + "/" + image))
            .setAllowInsecureRegistries(true)
            .setBaseImageLayersCache(temp.resolve("jib-cache/base"))
            .setApplicationLayersCache(temp.resolve("jib-cache/application")));
  }

  private PulledLayout pull(String image) throws Exception {
    String tag = image.substring(image.indexOf(':') + 1);
    return new Skopeo(temp.resolve("skopeo")).pull(registry.hostPort() + "/" + image, temp.resolve("pulled"), tag);
  }

  private void assertLayersHoldTheFiles(PulledLayout pulled, List<String> layers) {
    assertEquals(2, layers.size(), "layers");
    assertArrayEquals(jar, TarGz.files(pulled.blobs().get(layers.get(0))).get("app/app.jar"));
    assertArrayEquals(PROPERTIES, TarGz.files(pulled.blobs().get(layers.get(1))).get("app/config/app.properties"));
  }
}
