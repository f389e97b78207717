package io.berth.common.testing;

import io.berth.common.oci.Digest;
import io.berth.common.oci.MediaTypes;
import io.berth.common.oci.Sha256;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes test images into an OCI image layout directory ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/…}) that skopeo reads as {@code oci:<dir>:<tag>}: each image has random gzip-compressed tar
 * layers, a config and a manifest; an index holds two platform images. The content is random, so no registry or
 * cache can already hold it.
 */
public final class OciLayoutWriter {
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  private final Path dir;
  private final SplittableRandom random;
  private final JsonArray tagged = new JsonArray();

  private OciLayoutWriter(Path dir, long seed) {
    this.dir = dir;
    this.random = new SplittableRandom(seed);
  }

  public static OciLayoutWriter create(Path dir, long seed) throws IOException {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    OciLayoutWriter writer = new OciLayoutWriter(dir, seed);
    writer.writeIndex();
    return writer;
  }

  public Path dir() {
    return dir;
  }

  /** How skopeo names the image tagged {@code tag} in this layout. */
  public String reference(String tag) {
    return "oci:" + dir + ":" + tag;
  }

  /** A linux/amd64 image of {@code layers} layers, each a tar of one random file of {@code layerBytes} bytes. */
  public TestImage image(String tag, int layers, int layerBytes) throws IOException {
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    TestImage.Platform image = platformImage("linux", "amd64", layers, layerBytes, blobs);
    return tag(new TestImage(tag, MediaTypes.OCI_MANIFEST, image.manifest(), List.of(image), blobs));
  }

  /** An index over a linux/amd64 and a linux/arm64 image. */
  public TestImage index(String tag, int layers, int layerBytes) throws IOException {
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    List<TestImage.Platform> images = List.of(
        platformImage("linux", "amd64", layers, layerBytes, blobs),
        platformImage("linux", "arm64", layers, layerBytes, blobs));
    JsonArray manifests = new JsonArray();
    for (TestImage.Platform image : images) {
      manifests.add(descriptor(MediaTypes.OCI_MANIFEST, image.manifest(), blobs.get(image.manifest()).length)
          .put("platform", new JsonObject().put("os", image.os()).put("architecture", image.architecture())));
    }
    String digest = store(json(new JsonObject().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX)
        .put("manifests", manifests)), blobs);
    return tag(new TestImage(tag, MediaTypes.OCI_INDEX, digest, images, blobs));
  }

  private TestImage.Platform platformImage(String os, String architecture, int layers, int layerBytes,
      Map<String, byte[]> blobs) throws IOException {
    JsonArray layerDescriptors = new JsonArray();
    JsonArray diffIds = new JsonArray();
    List<String> layerDigests = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      byte[] content = new byte[layerBytes];
      random.nextBytes(content);
      byte[] tar = TarGz.tar("data/layer-" + i + ".bin", content);
      byte[] layer = TarGz.gzip(tar);
      String digest = store(layer, blobs);
      layerDigests.add(digest);
      layerDescriptors.add(descriptor(OCI_LAYER, digest, layer.length));
      diffIds.add(Sha256.of(tar).toString());
    }
    byte[] config = json(new JsonObject().put("architecture", architecture).put("os", os)
        .put("config", new JsonObject().put("Env", new JsonArray().add("PATH=/usr/bin")))
        .put("rootfs", new JsonObject().put("type", "layers").put("diff_ids", diffIds)));
    String configDigest = store(config, blobs);
    byte[] manifest = json(new JsonObject().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST)
        .put("config", descriptor(OCI_CONFIG, configDigest, config.length))
        .put("layers", layerDescriptors));
    return new TestImage.Platform(os, architecture, store(manifest, blobs), configDigest, layerDigests);
  }

  private TestImage tag(TestImage image) throws IOException {
    tagged.add(descriptor(image.mediaType(), image.digest(), image.manifest().length)
        .put("annotations", new JsonObject().put(REF_NAME, image.tag())));
    writeIndex();
    return image;
  }

  private void writeIndex() throws IOException {
    Files.write(dir.resolve("index.json"), json(new JsonObject().put("schemaVersion", 2).put("manifests", tagged)));
  }

  private String store(byte[] content, Map<String, byte[]> blobs) throws IOException {
    String digest = Sha256.of(content).toString();
    Files.write(dir.resolve("blobs/sha256").resolve(Digest.parse(digest).hex()), content);
    blobs.put(digest, content);
    return digest;
  }

  public static JsonObject descriptor(String mediaType, String digest, long size) {
    return new JsonObject().put("mediaType", mediaType).put("digest", digest).put("size", size);
  }

  private static byte[] json(JsonObject object) {
    return object.encode().getBytes(StandardCharsets.UTF_8);
  }
}
