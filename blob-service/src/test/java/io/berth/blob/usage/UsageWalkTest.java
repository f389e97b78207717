package io.berth.blob.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Sha256;
import io.berth.common.storage.StorageLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One walk over a real data directory in distribution's layout. */
class UsageWalkTest {
  @TempDir
  Path root;

  private Digest shared;
  private Digest manifest;

  @BeforeEach
  void store() throws IOException {
    shared = blob("0123456789");
    manifest = blob("a manifest's twenty!");
    blob("thirty bytes nobody links to..");
    Digest missing = Sha256.of("deleted meanwhile".getBytes(StandardCharsets.UTF_8));
    link(StorageLayout.layerLink(name("team/app"), shared), shared);
    link(StorageLayout.revisionLink(name("team/app"), manifest), manifest);
    link(StorageLayout.layerLink(name("team/app"), manifest), manifest);
    link(StorageLayout.layerLink(name("team/app/nested"), shared), shared);
    link(StorageLayout.layerLink(name("team/other"), missing), missing);
    Files.createDirectories(root.resolve(StorageLayout.REPOSITORIES).resolve("Not A Name/_layers"));
  }

  private Digest blob(String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Digest digest = Sha256.of(bytes);
    Path data = root.resolve(StorageLayout.blobData(digest));
    Files.createDirectories(data.getParent());
    Files.write(data, bytes);
    return digest;
  }

  private void link(String path, Digest digest) throws IOException {
    Path link = root.resolve(path);
    Files.createDirectories(link.getParent());
    Files.writeString(link, digest.toString());
  }

  private static RepositoryName name(String name) {
    return RepositoryName.parse(name);
  }

  @Test
  void totalsCountEachStoredBlobOnceAndRepositoriesCountWhatTheyLinkAndIsStored() throws IOException {
    StorageUsage usage = new UsageWalk(root, 10).walk();

    assertEquals(10 + 20 + 30, usage.bytes());
    assertEquals(3, usage.blobs());
    assertEquals(3, usage.repositories(), "team/app, team/app/nested, team/other; not an invalid name");
    assertEquals(List.of(
        new StorageUsage.RepositoryUsage("team/app", 30, 2),
        new StorageUsage.RepositoryUsage("team/app/nested", 10, 1),
        new StorageUsage.RepositoryUsage("team/other", 0, 0)), usage.largest());
  }

  @Test
  void onlyTheLargestRepositoriesAreReportedOneByOne() throws IOException {
    assertEquals(List.of(new StorageUsage.RepositoryUsage("team/app", 30, 2)),
        new UsageWalk(root, 1).walk().largest());
    StorageUsage none = new UsageWalk(root, 0).walk();
    assertEquals(List.of(), none.largest());
    assertEquals(3, none.repositories());
  }

  @Test
  void anEmptyDataDirectoryHasNothing() throws IOException {
    assertEquals(new StorageUsage(0, 0, 0, List.of()), new UsageWalk(root.resolve("absent"), 5).walk());
  }
}
