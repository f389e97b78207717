package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CNCF distribution's own server ({@code docker-registry serve}, Debian's package of distribution 2.8) on
 * 127.0.0.1, on a port the kernel picks, storing under a given root: the reference Berth's storage must interoperate
 * with.
 */
final class DistributionRegistry implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  private final ServerProcess process;
  private final String hostPort;

  private DistributionRegistry(ServerProcess process, String hostPort) {
    this.process = process;
    this.hostPort = hostPort;
  }

  static DistributionRegistry start(Path root, Path workDir) throws Exception {
    Path config = workDir.resolve("distribution-config.yml");
    Files.writeString(config, String.join("\n",
        "version: 0.1",
        "log:",
        "  level: info",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + root.toAbsolutePath(),
        "  delete:",
        "    enabled: true",
        "http:",
        "  addr: 127.0.0.1:0",
        ""));
    ServerProcess process = ServerProcess.start(List.of("docker-registry", "serve", config.toString()), Map.of());
    try {
      // distribution logs the address it bound just before it serves; /v2/ must then answer.
      Matcher listening = LISTENING.matcher(process.awaitLine(line -> LISTENING.matcher(line).find(),
          Duration.ofSeconds(30)));
      listening.find();
      DistributionRegistry registry = new DistributionRegistry(process, "127.0.0.1:" + listening.group(1));
      assertEquals(200, new RegistryHttp(registry.hostPort()).get("/v2/").statusCode(), "docker-registry /v2/");
      return registry;
    } catch (Exception | AssertionError e) {
      process.close();
      throw e;
    }
  }

  String hostPort() {
    return hostPort;
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
