package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.ChildProcess;
import io.berth.common.testing.OciLayoutWriter;
import io.berth.common.testing.TestImage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged launcher, {@code java -Xmx256m -jar berth.jar serve}, as an operator runs it. */
class ServeProcessIT {
  private static final long TWO_GIB = 2L << 30;
  private static final Duration EXIT = Duration.ofSeconds(30);

  @TempDir
  Path temp;

  @Test
  void twoGibBlobUploadsThroughAProcessWithA256MibHeap() throws Exception {
    try (BerthProcess berth = BerthProcess.launch(temp, Map.of()).awaitListening()) {
      RegistryHttp http = new RegistryHttp(berth.hostPort());
      URI session = http.startUpload("big/blob");
      GeneratedStream body = new GeneratedStream(2, TWO_GIB);

      HttpResponse<String> patched = http.send(HttpRequest.newBuilder(session).timeout(Duration.ofMinutes(5))
          .header("Content-Type", "application/octet-stream")
          .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> body)).build());
      assertEquals(202, patched.statusCode(), patched.body());
      assertEquals("0-" + (TWO_GIB - 1), patched.headers().firstValue("Range").orElseThrow());
      String digest = body.digest();
      HttpResponse<String> completed = http.send(HttpRequest.newBuilder(RegistryHttp.withDigest(session, digest))
          .timeout(Duration.ofMinutes(1)).PUT(HttpRequest.BodyPublishers.noBody()).build());

      assertEquals(201, completed.statusCode(), completed.body());
      assertEquals(digest, completed.headers().firstValue("Docker-Content-Digest").orElseThrow());
      HttpResponse<Void> head = http.head("/v2/big/blob/blobs/" + digest);
      assertEquals(200, head.statusCode());
      assertEquals(Optional.of(Long.toString(TWO_GIB)), head.headers().firstValue("Content-Length"));
      assertTrue(berth.process().isAlive(), berth.process().log());
    }
  }

  @Test
  void sigtermDuringAnUploadDrainsExitsZeroAndCommitsNothing() throws Exception {
    // More than any socket buffer holds: once the client has handed it all over, the server is mid-request.
    long sent = 64L << 20;
    String digest = GeneratedStream.digestOf(3, sent);
    try (BerthProcess berth = BerthProcess.launch(temp, Map.of()).awaitListening()) {
      RegistryHttp http = new RegistryHttp(berth.hostPort());
      URI session = http.startUpload("inflight/blob");
      StallingStream body = new StallingStream(new GeneratedStream(3, sent));
      // Were the cut-off body taken for a complete one, these very bytes would match the digest and be committed.
      CompletableFuture<HttpResponse<String>> upload = http.sendAsync(
          HttpRequest.newBuilder(RegistryHttp.withDigest(session, digest))
              .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build());
      int exit;
      try {
        body.stalled().get(60, TimeUnit.SECONDS);
        exit = berth.process().terminate(EXIT);
      } finally {
        body.release();
      }

      String log = berth.process().log();
      assertEquals(0, exit, log);
      assertTrue(log.contains("shutting down: finishing in-flight requests"), log);
      assertTrue(log.contains("stopped"), log);
      assertEquals(List.of(), filesOutsideUploads(berth.root()));
      HttpResponse<String> answered = upload.handle((response, failure) -> response).get(30, TimeUnit.SECONDS);
      if (answered != null) {
        assertNotEquals(201, answered.statusCode(), answered.body());
      }
    }
  }

  @Test
  void badHttpAddrExitsNonZeroNamingTheKey() throws Exception {
    try (BerthProcess berth = BerthProcess.launch(temp, Map.of("REGISTRY_HTTP_ADDR", "nonsense"))) {
      int exit = berth.process().awaitExit(EXIT);

      String log = berth.process().log();
      assertEquals(1, exit, log);
      assertTrue(log.contains("configuration error, not starting: http.addr:"), log);
    }
  }

  @Test
  void distributionConfigWithKeysThatOnlyTuneStartsAndWarnsAboutThem() throws Exception {
    Path config = Files.writeString(temp.resolve("config.yml"), String.join("\n",
        "version: 0.1",
        "log:",
        "  level: info",
        "storage:",
        "  cache:",
        "    blobdescriptor: inmemory",
        "  filesystem:",
        "    rootdirectory: " + temp.resolve("storage"),
        "validation:",
        "  manifests:",
        "    urls:",
        "      allow: ['^https?://([^/]+\\.)*example\\.com/']",
        ""));

    try (BerthProcess berth = BerthProcess.launch(temp, Map.of(), config.toString()).awaitListening()) {
      String warning = berth.process().awaitLine(line -> line.contains("not supported"), Duration.ofSeconds(5));

      assertTrue(warning.contains("level=warning "), warning);
      assertTrue(warning.contains("storage.cache") && warning.contains("validation"), warning);
      assertEquals(200, new RegistryHttp(berth.hostPort()).get("/v2/").statusCode());
    }
  }

  @Test
  void aProxySectionStopsStartupNamingTheKeyInsteadOfServingAnEmptyRegistry() throws Exception {
    Path config = Files.writeString(temp.resolve("config.yml"), String.join("\n",
        "version: 0.1",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + temp.resolve("storage"),
        "proxy:",
        "  remoteurl: https://registry-1.docker.io",
        ""));

    try (BerthProcess berth = BerthProcess.launch(temp, Map.of(), config.toString())) {
      int exit = berth.process().awaitExit(EXIT);

      String log = berth.process().log();
      assertEquals(1, exit, log);
      assertTrue(log.contains("configuration error, not starting: proxy.remoteurl: "), log);
    }
  }

  @Test
  void checkConfigPrintsTheConfigurationOrTheLineThatWouldStopServe() throws Exception {
    Path good = Files.writeString(temp.resolve("good.yml"), "version: 0.1\nhttp:\n  secret: hmac-secret\n");
    Path typo = Files.writeString(temp.resolve("typo.yml"), "version: 0.1\nstorage:\n  filesytem:\n"
        + "    rootdirectory: /var/lib/registry\n");

    ChildProcess.Result checked = checkConfig(good);
    ChildProcess.Result refused = checkConfig(typo);

    assertEquals(0, checked.exitCode(), checked.stderr());
    assertTrue(checked.stdout().contains("secret: <masked>"), checked.stdout());
    assertTrue(checked.stderr().contains("warning: http.secret: not supported by Berth yet, ignored"),
        checked.stderr());
    assertEquals(1, refused.exitCode(), refused.stderr());
    assertTrue(refused.stderr().startsWith("configuration error: storage.filesytem: unknown storage driver"),
        refused.stderr());
  }

  private ChildProcess.Result checkConfig(Path config) throws Exception {
    return ChildProcess.command(ChildProcess.javaBinary(), "-Dvertx.cacheDirBase=" + temp.resolve("vertx-cache"),
        "-jar", System.getProperty("berth.jar"), "check-config", config.toString()).run(Duration.ofSeconds(60));
  }

  @Test
  void skopeoRoundTripsAnImageThroughThePackagedLauncher() throws Exception {
    OciLayoutWriter images = OciLayoutWriter.create(temp.resolve("images"), 5);
    TestImage image = images.image("1.0", 2, 256 * 1024);

    try (BerthProcess berth = BerthProcess.launch(temp, Map.of()).awaitListening()) {
      Skopeo skopeo = new Skopeo(temp.resolve("skopeo"));
      skopeo.push(images.dir(), "1.0", berth.hostPort() + "/process/app:1.0");

      ImageAssertions.assertPulledUnchanged(image,
          skopeo.pull(berth.hostPort() + "/process/app:1.0", temp.resolve("pulled"), "1.0"));
    }
  }

  /**
   * Every file the registry left under its root, except upload leftovers (which a purge may remove) and the storage
   * health check's probe file.
   */
  private static List<Path> filesOutsideUploads(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile)
          .filter(file -> !root.relativize(file).toString().contains("/_uploads/"))
          .filter(file -> !file.equals(root.resolve(".berth-health")))
          .toList();
    }
  }
}
