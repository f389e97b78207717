package io.berth.blob.upload;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
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
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.UploadId;
import io.berth.common.storage.FileSystemStorageDriver;
import io.berth.common.storage.StorageLayout;
import io.berth.common.testing.ChunkStreams;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.TestBytes;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload purging over real storage, sharing the upload sessions of a real BlobVerticle: what is older than the cutoff
 * goes (by {@code startedat}, else the directory's last change), younger uploads and uploads being written stay, and
 * a dry run deletes nothing.
 */
class UploadPurgerTest {
  private static final String REPO = "team/app";
  private static final String NESTED = "org/team/tools/builder";
  private static final Instant LONG_AGO = Instant.parse("2020-01-01T00:00:00Z");

  @TempDir
  Path root;
  private RunningBlobService service;
  private UploadPurger purger;

  @BeforeEach
  void startService() {
    service = RunningBlobService.start(root, false);
    purger = new UploadPurger(service.vertx(), new FileSystemStorageDriver(service.vertx(), root), service.uploads());
  }

  @AfterEach
  void stopService() {
    service.close();
  }

  private PurgeReport purge(Instant cutoff, boolean dryRun) {
    return result(OnContext.run(service.vertx(), () -> purger.purge(cutoff, dryRun)));
  }

  private Path uploadDir(String repository, UploadId uuid) {
    return service.file(StorageLayout.upload(RepositoryName.parse(repository), uuid));
  }

  /**
   * distribution writes {@code startedat} as RFC 3339 text; this one says the upload began long ago, and its data was
   * last written then too.
   */
  private UploadId startedLongAgo(String repository) throws Exception {
    UploadId uuid = service.startUpload(repository).uuid();
    Files.writeString(service.file(StorageLayout.uploadStartedAt(RepositoryName.parse(repository), uuid)),
        "2020-01-01T02:00:00+02:00");
    Files.setLastModifiedTime(service.file(StorageLayout.uploadData(RepositoryName.parse(repository), uuid)),
        FileTime.from(LONG_AGO));
    return uuid;
  }

  private void assertUnknown(String repository, UploadId uuid) {
    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, service.request(Addresses.UPLOAD_STATUS,
        UploadRequest.of(repository, uuid).toJson()));
  }

  @Test
  void uploadsStartedBeforeTheCutoffAreDeletedInEveryRepositoryAndYoungerOnesStay() throws Exception {
    UploadId old = startedLongAgo(REPO);
    UploadId oldNested = startedLongAgo(NESTED);
    UploadId young = service.startUpload(REPO).uuid();

    PurgeReport report = purge(Instant.now().minus(Duration.ofHours(1)), false);

    assertEquals(List.of(new PurgeReport.PurgedUpload(NESTED, oldNested, LONG_AGO),
        new PurgeReport.PurgedUpload(REPO, old, LONG_AGO)), report.purged());
    assertEquals(List.of(), report.keptWhileWritten());
    assertEquals(0, report.failures());
    assertFalse(Files.exists(uploadDir(REPO, old)));
    assertFalse(Files.exists(uploadDir(NESTED, oldNested)));
    assertTrue(Files.isRegularFile(service.file(StorageLayout.uploadData(RepositoryName.parse(REPO), young))));
    assertEquals(new UploadState(young, 0), UploadState.fromJson(result(service.request(Addresses.UPLOAD_STATUS,
        UploadRequest.of(REPO, young).toJson()))));
  }

  @Test
  void aPurgedSessionIsForgottenSoAWriteCannotBringItBack() throws Exception {
    UploadId uuid = startedLongAgo(REPO);
    Buffer content = TestBytes.random(10_000, 3);

    purge(Instant.now(), false);

    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, service.write(new UploadRequest(REPO, uuid, 0,
        TestBytes.sha256(content).toString()), content));
    assertUnknown(REPO, uuid);
    assertFalse(Files.exists(uploadDir(REPO, uuid)));
  }

  @Test
  void withoutAStartedAtFileTheDirectorysLastChangeDecides() throws Exception {
    UploadId stale = service.startUpload(REPO).uuid();
    UploadId fresh = service.startUpload(REPO).uuid();
    Instant changed = Instant.parse("2021-06-01T12:00:00Z");
    for (UploadId uuid : List.of(stale, fresh)) {
      Files.delete(service.file(StorageLayout.uploadStartedAt(RepositoryName.parse(REPO), uuid)));
    }
    Files.setLastModifiedTime(service.file(StorageLayout.uploadData(RepositoryName.parse(REPO), stale)),
        FileTime.from(changed));
    Files.setLastModifiedTime(uploadDir(REPO, stale), FileTime.from(changed));

    PurgeReport report = purge(Instant.now().minus(Duration.ofDays(7)), false);

    assertEquals(List.of(new PurgeReport.PurgedUpload(REPO, stale, changed)), report.purged());
    assertFalse(Files.exists(uploadDir(REPO, stale)));
    assertTrue(Files.isDirectory(uploadDir(REPO, fresh)));
  }

  @Test
  void aDryRunReportsWhatItWouldDeleteAndDeletesNothing() throws Exception {
    UploadId old = startedLongAgo(REPO);

    PurgeReport report = purge(Instant.now(), true);

    assertEquals(List.of(new PurgeReport.PurgedUpload(REPO, old, LONG_AGO)), report.purged());
    assertTrue(Files.isRegularFile(service.file(StorageLayout.uploadData(RepositoryName.parse(REPO), old))));
    assertEquals(new UploadState(old, 0), UploadState.fromJson(result(service.request(Addresses.UPLOAD_STATUS,
        UploadRequest.of(REPO, old).toJson()))));
  }

  @Test
  void anUploadBeingWrittenIsKeptAndItsWriteCompletes() throws Exception {
    UploadId uuid = startedLongAgo(REPO);
    Buffer content = TestBytes.random(50_000, 4);
    StreamOpened opened = StreamOpened.fromJson(result(service.request(Addresses.UPLOAD_WRITE,
        new UploadRequest(REPO, uuid, 0, TestBytes.sha256(content).toString()).toJson())));

    PurgeReport whileWriting = purge(Instant.now(), false);
    BlobInfo committed = BlobInfo.fromJson(result(ChunkStreams.send(service.vertx(), opened.address(),
        List.of(content))));

    assertEquals(List.of(), whileWriting.purged());
    assertEquals(List.of(new PurgeReport.PurgedUpload(REPO, uuid, LONG_AGO)), whileWriting.keptWhileWritten());
    assertEquals(TestBytes.sha256(content).toString(), committed.digest());
    assertEquals(content.length(), committed.size());
  }

  @Test
  void anOldUploadWhoseDataAnotherProcessWroteWithinThePurgeAgeIsKept() throws Exception {
    UploadId live = startedLongAgo(REPO);
    UploadId idle = startedLongAgo(REPO);
    RepositoryName name = RepositoryName.parse(REPO);
    Files.write(service.file(StorageLayout.uploadData(name, live)), new byte[] {1, 2, 3});
    Files.setLastModifiedTime(service.file(StorageLayout.uploadData(name, live)),
        FileTime.from(Instant.now().minus(Duration.ofMinutes(59))));

    PurgeReport dryRun = purge(Instant.now().minus(Duration.ofHours(1)), true);
    PurgeReport report = purge(Instant.now().minus(Duration.ofHours(1)), false);

    assertEquals(List.of(new PurgeReport.PurgedUpload(REPO, idle, LONG_AGO)), dryRun.purged());
    assertEquals(List.of(new PurgeReport.PurgedUpload(REPO, live, LONG_AGO)), dryRun.keptWhileWritten());
    assertEquals(List.of(new PurgeReport.PurgedUpload(REPO, idle, LONG_AGO)), report.purged());
    assertEquals(List.of(new PurgeReport.PurgedUpload(REPO, live, LONG_AGO)), report.keptWhileWritten());
    assertFalse(Files.exists(uploadDir(REPO, idle)));
    assertEquals(new UploadState(live, 3), UploadState.fromJson(result(service.request(Addresses.UPLOAD_STATUS,
        UploadRequest.of(REPO, live).toJson()))));
  }

  /** Only an upload id names a session: another entry's name never becomes part of a path to delete. */
  @Test
  void anEntryUnderUploadsThatIsNoUploadIdIsLeftAlone() throws Exception {
    UploadId old = startedLongAgo(REPO);
    Path stranger = uploadDir(REPO, old).resolveSibling("not-an-upload");
    Files.createDirectories(stranger);
    Files.writeString(stranger.resolve("startedat"), "2020-01-01T02:00:00+02:00");

    PurgeReport report = purge(Instant.now(), false);

    assertEquals(List.of(new PurgeReport.PurgedUpload(REPO, old, LONG_AGO)), report.purged());
    assertEquals(0, report.failures());
    assertTrue(Files.isRegularFile(stranger.resolve("startedat")));
  }

  @Test
  void aStorageWithoutRepositoriesPurgesNothing() {
    PurgeReport report = purge(Instant.now(), false);

    assertEquals(new PurgeReport(List.of(), List.of(), List.of(), 0), report);
  }
}
