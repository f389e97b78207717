package io.berth.blob.bus;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.blob.RunningBlobService;
import io.berth.common.bus.Addresses;
import io.berth.common.bus.ChunkReceiver;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.BlobReadRequest;
import io.berth.common.bus.message.BlobRequest;
import io.berth.common.bus.message.MountRequest;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.storage.StorageLayout;
import io.berth.common.testing.ChunkStreams;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stat, mount, delete and read of stored blobs through the real BlobVerticle. */
class BlobBusHandlersTest {
  private static final String SOURCE = "team/app";
  private static final String OTHER = "team/other";
  private static final Buffer CONTENT = TestBytes.random(1_500_000, 7);
  private static final Digest DIGEST = TestBytes.sha256(CONTENT);

  @TempDir
  Path root;

  private RunningBlobService service;

  private RunningBlobService start(boolean deleteEnabled) {
    service = RunningBlobService.start(root, deleteEnabled);
    return service;
  }

  @AfterEach
  void stopService() {
    service.close();
  }

  private Future<JsonObject> stat(String repository, String digest) {
    return service.request(Addresses.BLOB_STAT, new BlobRequest(repository, digest).toJson());
  }

  private Future<JsonObject> delete(String repository, String digest) {
    return service.request(Addresses.BLOB_DELETE, new BlobRequest(repository, digest).toJson());
  }

  private Future<JsonObject> mount(String repository, String from, String digest) {
    return service.request(Addresses.BLOB_MOUNT, new MountRequest(repository, from, digest).toJson());
  }

  private Path layerLink(String repository) {
    return service.file(StorageLayout.layerLink(RepositoryName.parse(repository), DIGEST));
  }

  private BlobInfo stored() {
    return new BlobInfo(DIGEST.toString(), CONTENT.length(), service.file(StorageLayout.blobData(DIGEST)).toString());
  }

  @Test
  void statOfALinkedBlobAnswersItsSizeAndLocalPath() {
    start(false).push(SOURCE, CONTENT);

    assertEquals(stored(), BlobInfo.fromJson(result(stat(SOURCE, DIGEST.toString()))));
  }

  @Test
  void statOfABlobAnotherRepositoryLinksIsBlobUnknownNamingTheDigest() {
    start(false).push(SOURCE, CONTENT);

    RegistryException error = failsWith(ErrorCode.BLOB_UNKNOWN, stat(OTHER, DIGEST.toString()));

    assertEquals(DIGEST.toString(), error.detail());
  }

  @Test
  void statOfAnUnknownDigestIsBlobUnknown() {
    start(false);

    failsWith(ErrorCode.BLOB_UNKNOWN, stat(SOURCE, DIGEST.toString()));
  }

  @Test
  void statWithAMalformedDigestIsDigestInvalid() {
    start(false);

    failsWith(ErrorCode.DIGEST_INVALID, stat(SOURCE, "sha256:1234"));
  }

  @Test
  void mountLinksTheBlobIntoTheTargetRepository() throws IOException {
    start(false).push(SOURCE, CONTENT);

    BlobInfo mounted = BlobInfo.fromJson(result(mount(OTHER, SOURCE, DIGEST.toString())));

    assertEquals(stored(), mounted);
    assertEquals(DIGEST.toString(), Files.readString(layerLink(OTHER)));
    assertEquals(stored(), BlobInfo.fromJson(result(stat(OTHER, DIGEST.toString()))));
  }

  @Test
  void mountFromARepositoryWithoutTheBlobIsBlobUnknownAndLinksNothing() {
    start(false).push(SOURCE, CONTENT);

    failsWith(ErrorCode.BLOB_UNKNOWN, mount(SOURCE, "team/empty", DIGEST.toString()));
    failsWith(ErrorCode.BLOB_UNKNOWN, mount("team/target", "team/empty", DIGEST.toString()));

    assertFalse(Files.exists(layerLink("team/target")));
  }

  @Test
  void deleteWhileDeletionIsDisabledIsUnsupportedAndKeepsTheLink() {
    start(false).push(SOURCE, CONTENT);

    failsWith(ErrorCode.UNSUPPORTED, delete(SOURCE, DIGEST.toString()));

    assertTrue(Files.exists(layerLink(SOURCE)));
  }

  @Test
  void deleteUnlinksTheBlobAndLeavesItsBytesForGarbageCollection() {
    start(true).push(SOURCE, CONTENT);
    result(mount(OTHER, SOURCE, DIGEST.toString()));

    result(delete(SOURCE, DIGEST.toString()));

    failsWith(ErrorCode.BLOB_UNKNOWN, stat(SOURCE, DIGEST.toString()));
    assertFalse(Files.exists(layerLink(SOURCE).getParent()));
    assertEquals(stored(), BlobInfo.fromJson(result(stat(OTHER, DIGEST.toString()))));
    assertTrue(Files.isRegularFile(service.file(StorageLayout.blobData(DIGEST))));
  }

  @Test
  void deleteOfABlobTheRepositoryDoesNotLinkIsBlobUnknown() {
    start(true).push(SOURCE, CONTENT);

    failsWith(ErrorCode.BLOB_UNKNOWN, delete(OTHER, DIGEST.toString()));
  }

  @Test
  void readStreamsExactlyTheRequestedRange() {
    start(false).push(SOURCE, CONTENT);
    ChunkStreams.Collecting sink = new ChunkStreams.Collecting();
    ChunkReceiver receiver = result(OnContext.run(service.vertx(),
        () -> ChunkReceiver.open(service.vertx(), sink, 10_000)));

    JsonObject answer = result(service.request(Addresses.BLOB_READ,
        new BlobReadRequest(SOURCE, DIGEST.toString(), 1000, 600_000, receiver.address()).toJson()));
    result(receiver.done());

    assertEquals(stored(), BlobInfo.fromJson(answer));
    assertEquals(CONTENT.slice(1000, 601_000), sink.bytes());
  }

  @Test
  void readOfABlobTheRepositoryDoesNotLinkIsBlobUnknown() {
    start(false).push(SOURCE, CONTENT);

    failsWith(ErrorCode.BLOB_UNKNOWN, service.request(Addresses.BLOB_READ,
        new BlobReadRequest(OTHER, DIGEST.toString(), 0, CONTENT.length(), "stream.v1.nobody").toJson()));
  }
}
