package io.berth.common.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Tag;
import io.berth.common.oci.UploadId;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The paths must be byte-for-byte those of distribution's filesystem driver, or registry:2 data is not ours. */
class StorageLayoutTest {
  private static final String HEX = "ab0cb1d5d3f3e1f3c9b1c4a1e0a6b1e7d0f9e8d7c6b5a4938271605f4e3d2c1b";
  private static final Digest DIGEST = Digest.parse("sha256:" + HEX);
  private static final RepositoryName REPO = RepositoryName.parse("library/ubuntu");
  private static final String REPO_DIR = "docker/registry/v2/repositories/library/ubuntu";

  @Test
  void blobDataIsShardedByTheFirstTwoHexDigits() {
    assertEquals("docker/registry/v2/blobs/sha256/ab/" + HEX + "/data", StorageLayout.blobData(DIGEST));
    assertEquals("docker/registry/v2/blobs/sha256/ab/" + HEX, StorageLayout.blobDirectory(DIGEST));
  }

  @Test
  void repositoryPathsNestUnderRepositories() {
    assertEquals("docker/registry/v2/repositories", StorageLayout.REPOSITORIES);
    assertEquals(REPO_DIR, StorageLayout.repository(REPO));
  }

  @Test
  void layerLinkLivesUnderLayers() {
    assertEquals(REPO_DIR + "/_layers/sha256/" + HEX + "/link", StorageLayout.layerLink(REPO, DIGEST));
    assertEquals(REPO_DIR + "/_layers/sha256/" + HEX, StorageLayout.layerLinkDirectory(REPO, DIGEST));
  }

  @Test
  void revisionLinkLivesUnderManifestRevisions() {
    assertEquals(REPO_DIR + "/_manifests/revisions/sha256", StorageLayout.revisions(REPO, "sha256"));
    assertEquals(REPO_DIR + "/_manifests/revisions/sha256/" + HEX, StorageLayout.revisionDirectory(REPO, DIGEST));
    assertEquals(REPO_DIR + "/_manifests/revisions/sha256/" + HEX + "/link", StorageLayout.revisionLink(REPO, DIGEST));
  }

  @Test
  void tagLinksAreCurrentAndIndexUnderManifestTags() {
    assertEquals(REPO_DIR + "/_manifests/tags", StorageLayout.tags(REPO));
    Tag tag = Tag.parse("v1.0");
    assertEquals(REPO_DIR + "/_manifests/tags/v1.0", StorageLayout.tagDirectory(REPO, tag));
    assertEquals(REPO_DIR + "/_manifests/tags/v1.0/current/link", StorageLayout.tagCurrentLink(REPO, tag));
    assertEquals(REPO_DIR + "/_manifests/tags/v1.0/index/sha256/" + HEX + "/link",
        StorageLayout.tagIndexLink(REPO, tag, DIGEST));
  }

  @Test
  void uploadsHoldDataAndStartedAt() {
    String uuid = "9d8c7b6a-1111-2222-3333-444455556666";
    UploadId id = UploadId.parse(uuid);

    assertEquals(REPO_DIR + "/_uploads/" + uuid, StorageLayout.upload(REPO, id));
    assertEquals(REPO_DIR + "/_uploads/" + uuid + "/data", StorageLayout.uploadData(REPO, id));
    assertEquals(REPO_DIR + "/_uploads/" + uuid + "/startedat", StorageLayout.uploadStartedAt(REPO, id));
  }

  /** A directory of an algorithm the registry does not verify is no place of its layout. */
  @Test
  void onlyTheRegistrysAlgorithmsHaveDirectories() {
    assertEquals(REPO_DIR + "/_layers/sha512", StorageLayout.layers(REPO, "sha512"));
    for (String algorithm : new String[] {"md5", "..", "sha256/..", ""}) {
      assertThrows(IllegalArgumentException.class, () -> StorageLayout.layers(REPO, algorithm));
      assertThrows(IllegalArgumentException.class, () -> StorageLayout.revisions(REPO, algorithm));
    }
  }

  @Test
  void aLinkIsTheDigestTextWithoutANewline() {
    assertArrayEquals(("sha256:" + HEX).getBytes(StandardCharsets.US_ASCII), StorageLayout.link(DIGEST).getBytes());
  }

  @Test
  void parseLinkReadsOursAndToleratesATrailingNewline() {
    assertEquals(DIGEST, StorageLayout.parseLink(StorageLayout.link(DIGEST)));
    assertEquals(DIGEST, StorageLayout.parseLink(Buffer.buffer("sha256:" + HEX + "\n")));
  }
}
