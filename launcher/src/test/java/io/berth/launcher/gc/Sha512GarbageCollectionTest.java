package io.berth.launcher.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.oci.Digest;
import io.berth.common.testing.TestBytes;
import io.berth.launcher.RunningRegistry;
import io.berth.launcher.gc.PushPullClient.Blob;
import io.berth.launcher.gc.PushPullClient.Image;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code registry garbage-collect} over content named by sha512 digests, pushed through the registry: blobs under
 * {@code blobs/sha512/}, manifests under {@code _manifests/revisions/sha512/}. A manifest reached from a tag through
 * an index, or (without {@code --delete-untagged}) any sha512 revision, keeps its sha512 blobs; an unreferenced sha512
 * blob goes, and with {@code --delete-untagged} an untagged sha512 manifest goes with the blobs only it referenced.
 */
class Sha512GarbageCollectionTest {
  private static final Image CHILD = sha512(Image.of(sha512(Blob.random(100, 1)), sha512(Blob.random(20_000, 2))));
  private static final Image UNTAGGED = sha512(Image.of(sha512(Blob.random(101, 3)), sha512(Blob.random(20_001, 4))));
  private static final Blob INDEX = PushPullClient.index(CHILD);
  private static final Blob ORPHAN = sha512(Blob.random(20_002, 5));

  @TempDir
  Path temp;

  private static Blob sha512(Blob blob) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-512").digest(blob.bytes().getBytes());
      return new Blob(blob.bytes(), Digest.parse("sha512:" + HexFormat.of().formatHex(hash)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Image sha512(Image image) {
    return new Image(sha512(image.manifest()), image.config(), image.layers());
  }

  private Path dataDirectory() throws Exception {
    Path root = temp.resolve("data");
    try (RunningRegistry registry = RunningRegistry.start(root, Map.of())) {
      PushPullClient client = new PushPullClient(registry.baseUrl());
      client.push("app", CHILD.manifest().digest().toString(), CHILD);
      client.pushManifest("app", "v1", INDEX, PushPullClient.OCI_INDEX);
      client.push("app", UNTAGGED.manifest().digest().toString(), UNTAGGED);
      client.pushBlob("app", ORPHAN);
    }
    assertTrue(stored(root, ORPHAN), "the orphan was pushed");
    assertTrue(Files.exists(root.resolve("docker/registry/v2/repositories/app/_manifests/revisions/sha512/"
        + CHILD.manifest().digest().hex() + "/link")), "the child's sha512 revision");
    return root;
  }

  private static boolean stored(Path root, Blob blob) {
    String hex = blob.digest().hex();
    return Files.exists(root.resolve("docker/registry/v2/blobs/" + blob.digest().algorithm() + "/"
        + hex.substring(0, 2) + "/" + hex + "/data"));
  }

  private static void assertStored(boolean expected, Path root, Blob... blobs) {
    for (Blob blob : blobs) {
      assertEquals(expected, stored(root, blob), blob.digest() + (expected ? " should stay" : " should be gone"));
    }
  }

  private static Path config(Path root, Path directory) throws Exception {
    return Files.writeString(directory.resolve("config.yml"), String.join("\n",
        "version: 0.1",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + root.toAbsolutePath(),
        "http:",
        "  addr: 127.0.0.1:0",
        ""));
  }

  @Test
  void sha512RevisionsKeepTheirSha512BlobsAndAnUnreferencedSha512BlobGoes() throws Exception {
    Path root = dataDirectory();

    String output = GcCommand.run(Map.of(), config(root, temp).toString());

    assertStored(false, root, ORPHAN);
    assertStored(true, root, CHILD.manifest(), CHILD.config(), CHILD.layers().get(0), UNTAGGED.manifest(),
        UNTAGGED.config(), UNTAGGED.layers().get(0));
    assertTrue(output.contains("blob eligible for deletion: " + ORPHAN.digest()), output);
    try (RunningRegistry registry = RunningRegistry.start(root, Map.of())) {
      PushPullClient client = new PushPullClient(registry.baseUrl());
      assertEquals(200, client.send("GET", "/v2/app/manifests/" + UNTAGGED.manifest().digest(), null).statusCode());
      assertEquals(200, client.send("GET", "/v2/app/blobs/" + UNTAGGED.layers().get(0).digest(), null).statusCode());
      assertEquals(404, client.send("GET", "/v2/app/blobs/" + ORPHAN.digest(), null).statusCode());
    }
  }

  @Test
  void withDeleteUntaggedTheSha512ChildOfATaggedIndexStaysAndAnUntaggedSha512ManifestGoesWithItsBlobs()
      throws Exception {
    Path root = dataDirectory();

    GcCommand.run(Map.of(), "--delete-untagged", config(root, temp).toString());

    assertStored(true, root, INDEX, CHILD.manifest(), CHILD.config(), CHILD.layers().get(0));
    assertStored(false, root, ORPHAN, UNTAGGED.manifest(), UNTAGGED.config(), UNTAGGED.layers().get(0));
    try (RunningRegistry registry = RunningRegistry.start(root, Map.of())) {
      PushPullClient client = new PushPullClient(registry.baseUrl());
      assertEquals(INDEX.digest(), TestBytes.sha256(Buffer.buffer(client.send("GET", "/v2/app/manifests/v1", null,
          "Accept", PushPullClient.OCI_INDEX).body())));
      assertEquals(200, client.send("GET", "/v2/app/manifests/" + CHILD.manifest().digest(), null,
          "Accept", PushPullClient.OCI_MANIFEST).statusCode());
      assertEquals(List.of("app"), client.catalog());
      assertEquals(404, client.send("GET", "/v2/app/manifests/" + UNTAGGED.manifest().digest(), null)
          .statusCode());
    }
  }
}
