package io.berth.launcher.maintenance;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.bus.BusErrors;
import io.berth.common.oci.Sha256;
import io.berth.common.storage.StorageLayout;
import io.berth.common.testing.Unwritable;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storage that starts refusing writes while the registry runs (permissions changed on a directory below the root,
 * which the start-up check cannot foresee) answers pushes 503 UNAVAILABLE, and the log names the refused path:
 * never a bare 500 UNKNOWN whose cause only a stack trace tells.
 */
class UnwritableStorageTest {
  @TempDir
  Path temp;
  private RunningRegistry registry;
  private LogWatch log;

  @AfterEach
  void stop() throws Exception {
    if (log != null) {
      log.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void aPushMeetingARefusedDirectoryAnswersUnavailableAndTheLogNamesThePath() throws Exception {
    registry = RunningRegistry.start(temp.resolve("storage"), Map.of());
    WebClient http = WebClient.create(registry.vertx());
    byte[] blob = "layer bytes".getBytes();
    String digest = Sha256.of(blob).toString();
    HttpResponse<Buffer> first = result(http.post(registry.port(), "127.0.0.1",
        "/v2/team/first/blobs/uploads/?digest=" + digest).sendBuffer(Buffer.buffer(blob)));
    assertEquals(201, first.statusCode(), first.bodyAsString());
    Path repositories = registry.root().resolve(StorageLayout.REPOSITORIES);
    log = new LogWatch(BusErrors.class);
    Future<String> logged = log.next(text -> text.startsWith("storage refused access"));

    HttpResponse<Buffer> refused;
    try (Unwritable ignored = Unwritable.make(repositories)) {
      refused = result(http.post(registry.port(), "127.0.0.1", "/v2/other/second/blobs/uploads/").send());
    }

    assertEquals(503, refused.statusCode(), refused.bodyAsString());
    JsonObject error = refused.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
    assertEquals("UNAVAILABLE", error.getString("code"));
    assertEquals("storage refused access", error.getString("message"));
    String line = result(logged);
    assertTrue(line.contains("path: " + repositories), line);
    HttpResponse<Buffer> retried = result(http.post(registry.port(), "127.0.0.1",
        "/v2/other/second/blobs/uploads/?digest=" + digest).sendBuffer(Buffer.buffer(blob)));
    assertEquals(201, retried.statusCode(), "the same push once the directory is writable again");
  }
}
