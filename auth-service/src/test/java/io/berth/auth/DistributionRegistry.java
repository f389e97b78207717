package io.berth.auth;

import io.berth.common.testing.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Debian's {@code docker-registry} (CNCF distribution 2.8) on a free 127.0.0.1 port, with its own storage and
 * {@code auth.token} pointing at our issuer; the third-party verifier of the interop tests. Ready once it logs that
 * it listens.
 */
final class DistributionRegistry implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path storage;
  private final List<String> log;

  private DistributionRegistry(Process process, int port, Path storage, List<String> log) {
    this.process = process;
    this.port = port;
    this.storage = storage;
    this.log = log;
  }

  static DistributionRegistry start(Path directory, String realm, String service, String issuer, Path rootCertBundle)
      throws IOException, InterruptedException, TimeoutException {
    Path binary = ExternalProcess.require("docker-registry", "Debian package docker-registry, CNCF distribution 2.8");
    int port = FreePorts.onLoopback();
    Path storage = directory.resolve("storage");
    Path config = Files.writeString(directory.resolve("config.yml"), String.join("\n",
        "version: 0.1",
        "log:",
        "  level: info",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + storage,
        "http:",
        "  addr: 127.0.0.1:" + port,
        "  secret: interop-test-secret",
        "auth:",
        "  token:",
        "    realm: " + realm,
        "    service: " + service,
        "    issuer: " + issuer,
        "    rootcertbundle: " + rootCertBundle,
        ""));
    Process process = new ProcessBuilder(binary.toString(), "serve", config.toString()).redirectErrorStream(true)
        .start();
    process.getOutputStream().close();
    List<String> log = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> listening = new CompletableFuture<>();
    String ready = "listening on 127.0.0.1:" + port;
    Thread reader = new Thread(() -> {
      process.inputReader(StandardCharsets.UTF_8).lines().forEach(line -> {
        log.add(line);
        if (line.contains(ready)) {
          listening.complete(null);
        }
      });
      listening.completeExceptionally(new IllegalStateException("docker-registry exited before listening:\n"
          + String.join("\n", log)));
    }, "docker-registry-log");
    reader.setDaemon(true);
    reader.start();
    try {
      listening.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException("docker-registry did not start: " + e.getMessage() + "\n"
          + String.join("\n", log), e);
    }
    return new DistributionRegistry(process, port, storage, log);
  }

  String hostPort() {
    return "127.0.0.1:" + port;
  }

  boolean hasRepository(String name) {
    return Files.isDirectory(storage.resolve("docker/registry/v2/repositories").resolve(name));
  }

  /** The registry's log so far, for assertion messages. */
  String log() {
    return String.join("\n", log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
