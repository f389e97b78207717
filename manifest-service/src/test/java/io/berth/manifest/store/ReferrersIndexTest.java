package io.berth.manifest.store;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.oci.Digest;
import io.berth.common.oci.MediaTypes;
import io.berth.common.oci.RepositoryName;
import io.berth.common.storage.FileSystemStorageDriver;
import io.berth.common.storage.StorageLayout;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ReferrersIndexTest {
  private static final RepositoryName REPO = RepositoryName.parse("team/app");
  private static final Digest SUBJECT = TestBytes.sha256(Buffer.buffer("the subject"));

  @TempDir
  Path root;

  /** A manifest that could not be read once (here: its bytes not there yet) is read again, not remembered as none. */
  @Test
  void aManifestThatFailedToReadIsReadAgainNextTime(Vertx vertx) throws IOException {
    ReferrersIndex index = new ReferrersIndex(
        new ManifestStore(new FileSystemStorageDriver(vertx, root), new ManifestCache()));
    Buffer referrer = Buffer.buffer(new JsonObject().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST)
        .put("config", new JsonObject().put("mediaType", "application/vnd.oci.empty.v1+json")
            .put("digest", TestBytes.sha256(Buffer.buffer("{}")).toString()).put("size", 2))
        .put("layers", new JsonArray())
        .put("subject", new JsonObject().put("mediaType", MediaTypes.OCI_MANIFEST).put("digest", SUBJECT.toString())
            .put("size", 11))
        .encode());
    Digest digest = TestBytes.sha256(referrer);
    write(StorageLayout.revisionLink(REPO, digest), StorageLayout.link(digest));

    JsonObject before = result(OnContext.run(vertx, () -> index.referrers(REPO, SUBJECT, null)));
    write(StorageLayout.blobData(digest), referrer);
    JsonObject after = result(OnContext.run(vertx, () -> index.referrers(REPO, SUBJECT, null)));

    assertEquals(0, before.getJsonArray("manifests").size());
    assertEquals(1, after.getJsonArray("manifests").size());
    assertEquals(digest.toString(), after.getJsonArray("manifests").getJsonObject(0).getString("digest"));
  }

  private void write(String path, Buffer content) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, content.getBytes());
  }
}
