package io.berth.launcher.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.blob.upload.UploadPurger;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Sha256;
import io.berth.common.oci.UploadId;
import io.berth.common.storage.StorageLayout;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code storage.maintenance.uploadpurging} in a running registry: uploads abandoned longer than {@code age} are
 * purged on schedule and their locations answer BLOB_UPLOAD_UNKNOWN, younger ones stay, a dry run only logs, and an
 * upload whose body is streaming in survives every purge and completes.
 */
class UploadPurgingTest {
  private static final String REPO = "team/app";
  private static final long AWAIT_SECONDS = 20;

  @TempDir
  Path temp;
  private RunningRegistry registry;
  private HttpClient http;
  private LogWatch purgeLog;

  @AfterEach
  void stopRegistry() throws Exception {
    if (purgeLog != null) {
      purgeLog.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  private void start(String age, boolean dryRun) throws Exception {
    purgeLog = new LogWatch(UploadPurger.class);
    registry = RunningRegistry.start(temp.resolve("storage"), Map.of(
        "REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_AGE", age,
        "REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_INTERVAL", "100ms",
        "REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_DRYRUN", String.valueOf(dryRun)));
    http = registry.vertx().createHttpClient();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(AWAIT_SECONDS, TimeUnit.SECONDS);
  }

  private record Answer(int status, MultiMap headers, Buffer body) {
  }

  private static Future<Answer> answer(HttpClientResponse response) {
    return response.body().map(body -> new Answer(response.statusCode(), response.headers(), body));
  }

  private Answer send(HttpMethod method, String path) throws Exception {
    return await(http.request(method, registry.port(), "127.0.0.1", path)
        .compose(HttpClientRequest::send)
        .compose(UploadPurgingTest::answer));
  }

  /** A new upload session: its uuid. */
  private String startUpload() throws Exception {
    Answer started = send(HttpMethod.POST, "/v2/" + REPO + "/blobs/uploads/");
    assertEquals(202, started.status());
    return started.headers().get("Docker-Upload-UUID");
  }

  private static String location(String uuid) {
    return "/v2/" + REPO + "/blobs/uploads/" + uuid;
  }

  private Path uploadDir(String uuid) {
    return registry.root().resolve(StorageLayout.upload(RepositoryName.parse(REPO), UploadId.parse(uuid)));
  }

  /** Checks {@code condition} on the registry's Vert.x every few milliseconds until it holds. */
  private void until(Supplier<Future<Boolean>> condition) throws Exception {
    Promise<Void> met = Promise.promise();
    long timer = registry.vertx().setPeriodic(20, id -> condition.get().onSuccess(holds -> {
      if (holds) {
        met.tryComplete();
      }
    }));
    try {
      await(met.future());
    } finally {
      registry.vertx().cancelTimer(timer);
    }
  }

  private Future<Boolean> gone(String uuid) {
    return registry.vertx().fileSystem().exists(uploadDir(uuid).toString()).map(exists -> !exists);
  }

  private void assertUploadUnknown(String uuid) throws Exception {
    Answer status = send(HttpMethod.GET, location(uuid));
    assertEquals(404, status.status());
    assertEquals("BLOB_UPLOAD_UNKNOWN", new JsonObject(status.body()).getJsonArray("errors").getJsonObject(0)
        .getString("code"));
  }

  @Test
  void anUploadAbandonedLongerThanTheAgeIsPurgedAndItsLocationAnswersUnknown() throws Exception {
    start("300ms", false);
    String uuid = startUpload();
    Future<String> purged = purgeLog.next(line -> line.startsWith("upload purged") && line.contains(uuid));

    until(() -> gone(uuid));

    assertTrue(await(purged).contains("repo: " + REPO));
    assertUploadUnknown(uuid);
  }

  @Test
  void anUploadYoungerThanTheAgeOutlivesPurges() throws Exception {
    start("1h", false);
    String uuid = startUpload();
    Future<String> first = purgeLog.next(line -> line.startsWith("upload purge finished"));

    await(first);
    await(purgeLog.next(line -> line.startsWith("upload purge finished")));

    assertEquals(204, send(HttpMethod.GET, location(uuid)).status());
    assertTrue(Files.isDirectory(uploadDir(uuid)));
  }

  @Test
  void aDryRunLogsTheUploadItWouldPurgeAndKeepsIt() throws Exception {
    start("1ms", true);
    String uuid = startUpload();

    String line = await(purgeLog.next(logged -> logged.contains("would delete") && logged.contains(uuid)));
    await(purgeLog.next(logged -> logged.startsWith("upload purge finished")));

    assertTrue(line.contains("repo: " + REPO), line);
    assertEquals(204, send(HttpMethod.GET, location(uuid)).status());
    assertTrue(Files.isDirectory(uploadDir(uuid)));
  }

  /**
   * The body of the completing PUT streams in two parts; between them a purge finds the upload old enough to go and
   * keeps it because it is being written. The age leaves the PUT time to begin before the upload is old enough.
   */
  @Test
  void anUploadBeingWrittenOutlivesPurgesAndCompletes() throws Exception {
    start("3s", false);
    String uuid = startUpload();
    Future<String> kept = purgeLog.next(line -> line.startsWith("upload kept") && line.contains(uuid));
    byte[] bytes = new byte[200_000];
    ThreadLocalRandom.current().nextBytes(bytes);
    Buffer first = Buffer.buffer(bytes).slice(0, 100_000);
    Buffer second = Buffer.buffer(bytes).slice(100_000, bytes.length);
    String digest = Sha256.of(bytes).toString();

    HttpClientRequest put = await(http.request(HttpMethod.PUT, registry.port(), "127.0.0.1",
        location(uuid) + "?digest=" + digest));
    put.setChunked(true).putHeader("Content-Type", "application/octet-stream");
    await(put.write(first));
    String keptLine = await(kept);
    boolean stillOnStorage = Files.isDirectory(uploadDir(uuid));
    Answer completed = await(put.end(second).compose(v -> put.response()).compose(UploadPurgingTest::answer));

    assertTrue(keptLine.contains("repo: " + REPO), keptLine);
    assertTrue(stillOnStorage, "the upload being written was deleted");
    assertEquals(201, completed.status(), completed.body().toString());
    assertEquals(digest, completed.headers().get("Docker-Content-Digest"));
    assertEquals(Buffer.buffer(bytes), send(HttpMethod.GET, "/v2/" + REPO + "/blobs/" + digest).body());
    assertFalse(Files.exists(uploadDir(uuid)));
  }
}
