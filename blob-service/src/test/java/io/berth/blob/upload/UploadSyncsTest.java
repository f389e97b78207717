package io.berth.blob.upload;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.blob.store.BlobStore;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.UploadId;
import io.berth.common.storage.FileSystemStorageDriver;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.berth.common.storage.Syncer;
import io.berth.common.testing.ChunkStreams;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an upload syncs: nothing while the session is written (a session lost in a crash is started again), and at
 * the commit the blob's bytes before they move into place and the link after, each directory that got a name once.
 * What no test here can show is the power loss itself: only that the syncs are asked for, in that order.
 */
@ExtendWith(VertxExtension.class)
class UploadSyncsTest {
  private static final RepositoryName REPO = RepositoryName.parse("team/app");
  private static final Buffer FIRST = TestBytes.random(300_000, 21);
  private static final Buffer SECOND = TestBytes.random(100_000, 22);

  @TempDir
  Path root;

  /** The syncs asked for, as paths under the root. */
  private final class Recorded implements Syncer {
    final List<String> files = new ArrayList<>();
    final List<String> directories = new ArrayList<>();

    @Override
    public synchronized void file(Path path, FileChannel channel) throws IOException {
      Syncer.FSYNC.file(path, channel);
      files.add(root.relativize(path).toString().replaceAll("\\.tmp-[0-9a-f-]+", ".tmp-*"));
    }

    @Override
    public synchronized void directory(Path directory) throws IOException {
      Syncer.FSYNC.directory(directory);
      directories.add(root.relativize(directory).toString());
    }
  }

  @Test
  void anUploadSyncsOnlyWhenItCommitsTheBytesThenTheLink(Vertx vertx) {
    Recorded syncs = new Recorded();
    StorageDriver driver = new FileSystemStorageDriver(vertx, root, 4, syncs);
    UploadSessions sessions = new UploadSessions();
    Digest digest = TestBytes.sha256(Buffer.buffer().appendBuffer(FIRST).appendBuffer(SECOND));

    UploadId uuid = result(OnContext.run(vertx, () -> sessions.start(driver, REPO))).uuid();
    result(write(vertx, sessions, driver, new UploadRequest(REPO.value(), uuid, 0, null), FIRST));
    assertEquals(List.of(), syncs.files);
    assertEquals(List.of(), syncs.directories);

    result(write(vertx, sessions, driver, new UploadRequest(REPO.value(), uuid, FIRST.length(), digest.toString()),
        SECOND));

    String link = StorageLayout.layerLink(REPO, digest);
    assertEquals(List.of(StorageLayout.uploadData(REPO, uuid), link.replace("/link", "/.tmp-*")), syncs.files);
    assertEquals(Set.copyOf(syncs.directories).size(), syncs.directories.size(), () -> "synced twice: "
        + syncs.directories);
    assertTrue(syncs.directories.contains(StorageLayout.blobDirectory(digest)), syncs.directories::toString);
    assertTrue(syncs.directories.contains(StorageLayout.layerLinkDirectory(REPO, digest)),
        syncs.directories::toString);
    assertTrue(Files.exists(root.resolve(StorageLayout.blobData(digest))));
  }

  @Test
  void aBlobStoredAlreadyIsNotSyncedAgainOnlyItsNewLink(Vertx vertx) {
    Recorded syncs = new Recorded();
    StorageDriver driver = new FileSystemStorageDriver(vertx, root, 4, syncs);
    UploadSessions sessions = new UploadSessions();
    Digest digest = TestBytes.sha256(FIRST);
    UploadId first = result(OnContext.run(vertx, () -> sessions.start(driver, REPO))).uuid();
    result(write(vertx, sessions, driver, new UploadRequest(REPO.value(), first, 0, digest.toString()), FIRST));
    syncs.files.clear();
    syncs.directories.clear();

    RepositoryName other = RepositoryName.parse("team/other");
    UploadId second = result(OnContext.run(vertx, () -> sessions.start(driver, other))).uuid();
    result(write(vertx, sessions, driver, new UploadRequest(other.value(), second, 0, digest.toString()), FIRST));

    assertEquals(List.of(StorageLayout.layerLink(other, digest).replace("/link", "/.tmp-*")), syncs.files);
    assertEquals(new HashSet<>(syncs.directories).size(), syncs.directories.size());
  }

  private static io.vertx.core.Future<io.vertx.core.json.JsonObject> write(Vertx vertx, UploadSessions sessions,
      StorageDriver driver, UploadRequest request, Buffer part) {
    return OnContext.run(vertx, () -> sessions.openWrite(vertx, driver, new BlobStore(driver), request, blob -> { }))
        .compose(address -> ChunkStreams.send(vertx, address, List.of(part)));
  }
}
