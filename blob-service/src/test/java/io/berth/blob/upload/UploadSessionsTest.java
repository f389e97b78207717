package io.berth.blob.upload;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.blob.RunningBlobService;
import io.berth.common.bus.Addresses;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.StreamOpened;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.bus.message.UploadState;
import io.berth.common.error.ErrorCode;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.UploadId;
import io.berth.common.storage.StorageLayout;
import io.berth.common.testing.ChunkStreams;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upload sessions through the real BlobVerticle: start, chunked and monolithic writes, resume, cancel. */
class UploadSessionsTest {
  private static final String REPO = "team/app";
  private static final RepositoryName NAME = RepositoryName.parse(REPO);
  private static final Buffer FIRST = TestBytes.random(700_000, 1);
  private static final Buffer SECOND = TestBytes.random(300_001, 2);
  private static final Buffer WHOLE = Buffer.buffer().appendBuffer(FIRST).appendBuffer(SECOND);

  @TempDir
  Path root;

  private RunningBlobService service;

  @BeforeEach
  void startService() {
    service = RunningBlobService.start(root, false);
  }

  @AfterEach
  void stopService() {
    service.close();
  }

  private Future<JsonObject> write(UploadId uuid, long offset, Digest digest, Buffer... parts) {
    return service.write(new UploadRequest(REPO, uuid, offset, digest == null ? null : digest.toString()), parts);
  }

  private Future<JsonObject> control(String address, String repository, UploadId uuid) {
    return service.request(address, UploadRequest.of(repository, uuid).toJson());
  }

  private UploadState status(UploadId uuid) {
    return UploadState.fromJson(result(control(Addresses.UPLOAD_STATUS, REPO, uuid)));
  }

  private Path uploadDir(UploadId uuid) {
    return service.file(StorageLayout.upload(NAME, uuid));
  }

  private void assertStored(Buffer content, BlobInfo info) throws IOException {
    Digest digest = TestBytes.sha256(content);
    Path data = service.file(StorageLayout.blobData(digest));
    assertEquals(new BlobInfo(digest.toString(), content.length(), data.toString()), info);
    assertArrayEquals(content.getBytes(), Files.readAllBytes(data));
    assertEquals(digest.toString(), Files.readString(service.file(StorageLayout.layerLink(NAME, digest))));
  }

  private static void deleteTree(Path path) throws IOException {
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path file : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /**
   * Issue #10: an id that is no upload id never becomes a storage path, whatever sent it. This one climbs from the
   * repository's {@code _uploads} to a blob the repository does not even link.
   */
  @Test
  void anIdThatIsNoUploadIdIsUnknownAndTouchesNothing() throws IOException {
    BlobInfo blob = service.push("team/other", WHOLE);
    Digest digest = Digest.parse(blob.digest());
    String climb = String.join("/", "..", "..", "..", "..", "blobs", digest.algorithm(), digest.hex().substring(0, 2),
        digest.hex());
    for (String id : List.of(climb, "4F1E8C52-0000-4000-8000-0123456789AB", "4f1e8c52-0000-4000-8000-0123456789a",
        "", "not-an-id")) {
      for (String address : List.of(Addresses.UPLOAD_STATUS, Addresses.UPLOAD_CANCEL, Addresses.UPLOAD_WRITE)) {
        JsonObject request = new JsonObject().put("repository", REPO).put("uuid", id).put("expectedOffset", -1)
            .put("digest", blob.digest());
        failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, service.request(address, request));
      }
    }

    assertArrayEquals(WHOLE.getBytes(), Files.readAllBytes(Path.of(blob.localPath())));
  }

  @Test
  void startCreatesAnEmptySessionOnStorage() {
    UploadState started = service.startUpload(REPO);

    assertEquals(0, started.offset());
    assertTrue(Files.isRegularFile(service.file(StorageLayout.uploadData(NAME, started.uuid()))));
    assertTrue(Files.isRegularFile(service.file(StorageLayout.uploadStartedAt(NAME, started.uuid()))));
    assertEquals(new UploadState(started.uuid(), 0), status(started.uuid()));
  }

  @Test
  void aWriteEndingWithTheRightDigestCommitsTheBlob() throws IOException {
    UploadId uuid = service.startUpload(REPO).uuid();

    JsonObject answer = result(write(uuid, 0, TestBytes.sha256(WHOLE), FIRST, SECOND));

    assertStored(WHOLE, BlobInfo.fromJson(answer));
    assertFalse(Files.exists(uploadDir(uuid)));
  }

  @Test
  void chunkedWritesAppendAndTheLastOneCommits() throws IOException {
    UploadId uuid = service.startUpload(REPO).uuid();

    UploadState afterFirst = UploadState.fromJson(result(write(uuid, 0, null, FIRST)));
    UploadState reported = status(uuid);
    JsonObject committed = result(write(uuid, FIRST.length(), TestBytes.sha256(WHOLE), SECOND));

    assertEquals(new UploadState(uuid, FIRST.length()), afterFirst);
    assertEquals(afterFirst, reported);
    assertStored(WHOLE, BlobInfo.fromJson(committed));
    assertFalse(Files.exists(uploadDir(uuid)));
  }

  @Test
  void aWrongDigestIsDigestInvalidAndNothingIsStored() {
    UploadId uuid = service.startUpload(REPO).uuid();
    Digest claimed = TestBytes.sha256(FIRST);

    failsWith(ErrorCode.DIGEST_INVALID, write(uuid, 0, claimed, WHOLE));

    assertFalse(Files.exists(service.file(StorageLayout.blobData(TestBytes.sha256(WHOLE)))));
    assertFalse(Files.exists(service.file(StorageLayout.blobData(claimed))));
    assertFalse(Files.exists(service.file(StorageLayout.layerLink(NAME, claimed))));
    assertFalse(Files.exists(uploadDir(uuid)));
    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, control(Addresses.UPLOAD_STATUS, REPO, uuid));
  }

  @Test
  void aSessionWhoseFileVanishedIsUnknownAndIsNotRecreatedWithAHole() throws IOException {
    UploadId uuid = service.startUpload(REPO).uuid();
    result(write(uuid, 0, null, FIRST));
    deleteTree(service.file(StorageLayout.repository(NAME)));

    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, write(uuid, FIRST.length(), TestBytes.sha256(WHOLE), SECOND));

    assertFalse(Files.exists(service.file(StorageLayout.repository(NAME))));
    assertFalse(Files.exists(service.file(StorageLayout.blobData(TestBytes.sha256(WHOLE)))));
    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, control(Addresses.UPLOAD_STATUS, REPO, uuid));
  }

  @Test
  void anExpectedOffsetOtherThanTheUploadsSizeIsRangeInvalid() {
    UploadId uuid = service.startUpload(REPO).uuid();
    result(write(uuid, 0, null, FIRST));

    failsWith(ErrorCode.RANGE_INVALID, write(uuid, 0, null, SECOND));
    failsWith(ErrorCode.RANGE_INVALID, write(uuid, FIRST.length() + 1, null, SECOND));

    assertEquals(FIRST.length(), status(uuid).offset());
  }

  @Test
  void aSecondWriteWhileOneIsOpenIsBlobUploadInvalid() {
    UploadId uuid = service.startUpload(REPO).uuid();
    StreamOpened open = StreamOpened.fromJson(
        result(service.request(Addresses.UPLOAD_WRITE, new UploadRequest(REPO, uuid, 0, null).toJson())));

    failsWith(ErrorCode.BLOB_UPLOAD_INVALID, write(uuid, 0, null, SECOND));
    JsonObject firstEnded = result(ChunkStreams.send(service.vertx(), open.address(), List.of(FIRST)));
    JsonObject next = result(write(uuid, FIRST.length(), TestBytes.sha256(WHOLE), SECOND));

    assertEquals(new UploadState(uuid, FIRST.length()).toJson(), firstEnded);
    assertEquals(TestBytes.sha256(WHOLE).toString(), BlobInfo.fromJson(next).digest());
  }

  @Test
  void aSessionResumedAfterARestartContinuesWithTheRightDigest() throws IOException {
    UploadId uuid = service.startUpload(REPO).uuid();
    result(write(uuid, 0, null, FIRST));

    service.restart();

    assertEquals(new UploadState(uuid, FIRST.length()), status(uuid));
    assertStored(WHOLE, BlobInfo.fromJson(result(write(uuid, FIRST.length(), TestBytes.sha256(WHOLE), SECOND))));
    assertFalse(Files.exists(uploadDir(uuid)));
  }

  @Test
  void aSessionResumedAfterARestartStillRefusesAWrongDigest() {
    UploadId uuid = service.startUpload(REPO).uuid();
    result(write(uuid, 0, null, FIRST));

    service.restart();

    failsWith(ErrorCode.DIGEST_INVALID, write(uuid, FIRST.length(), TestBytes.sha256(SECOND), SECOND));
    assertFalse(Files.exists(service.file(StorageLayout.blobData(TestBytes.sha256(WHOLE)))));
  }

  @Test
  void aCancelledSessionIsUnknownAfterwards() {
    UploadId uuid = service.startUpload(REPO).uuid();
    result(write(uuid, 0, null, FIRST));

    result(control(Addresses.UPLOAD_CANCEL, REPO, uuid));

    assertFalse(Files.exists(uploadDir(uuid)));
    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, control(Addresses.UPLOAD_STATUS, REPO, uuid));
    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, write(uuid, FIRST.length(), null, SECOND));
    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, control(Addresses.UPLOAD_CANCEL, REPO, uuid));
  }

  @Test
  void aSessionOfOneRepositoryIsUnknownToAnother() {
    UploadId uuid = service.startUpload(REPO).uuid();

    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, control(Addresses.UPLOAD_STATUS, "team/other", uuid));
    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, control(Addresses.UPLOAD_CANCEL, "team/other", uuid));
    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN,
        service.write(new UploadRequest("team/other", uuid, 0, null), FIRST));

    assertEquals(new UploadState(uuid, 0), status(uuid));
  }

  @Test
  void aSessionOfOneRepositoryIsUnknownToAnotherAfterARestart() {
    UploadId uuid = service.startUpload(REPO).uuid();

    service.restart();

    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, control(Addresses.UPLOAD_STATUS, "team/other", uuid));
    assertEquals(new UploadState(uuid, 0), status(uuid));
  }

  @Test
  void anUnknownUuidIsBlobUploadUnknown() {
    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN,
        control(Addresses.UPLOAD_STATUS, REPO, UploadId.parse("4f1e8c52-0000-4000-8000-000000000000")));
  }

  @Test
  void anInvalidRepositoryNameIsNameInvalid() {
    failsWith(ErrorCode.NAME_INVALID, service.request(Addresses.UPLOAD_START,
        new JsonObject().put("repository", "Team/../app")));
  }

  @Test
  void uploadingBytesAlreadyStoredLinksThemIntoTheSecondRepository() throws IOException {
    service.push("team/other", WHOLE);

    BlobInfo info = service.push(REPO, WHOLE);

    assertStored(WHOLE, info);
    assertEquals(List.of(), leftoverUploads());
  }

  private List<Path> leftoverUploads() throws IOException {
    Path uploads = service.file(StorageLayout.repository(NAME) + "/_uploads");
    if (!Files.exists(uploads)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(uploads)) {
      return children.toList();
    }
  }
}
