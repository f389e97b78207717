package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
    return start(workDir, List.of(
        "  filesystem:",
        "    rootdirectory: " + root.toAbsolutePath()));
  }

  /**
   * distribution on an S3 bucket, configured as for any S3-compatible endpoint. Its s3 driver panics at start when
   * the environment sets {@code AWS_CA_BUNDLE} over plain HTTP, so the variable is removed.
   */
  static DistributionRegistry startOnS3(URI endpoint, String accessKey, String secretKey, String bucket,
      String rootDirectory, Path workDir) throws Exception {
    return start(workDir, List.of(
        "  s3:",
        "    accesskey: " + accessKey,
        "    secretkey: " + secretKey,
        "    region: us-east-1",
        "    regionendpoint: " + endpoint,
        "    secure: false",
        "    v4auth: true",
        "    bucket: " + bucket,
        "    rootdirectory: " + rootDirectory));
  }

  private static DistributionRegistry start(Path workDir, List<String> storage) throws Exception {
    Path config = workDir.resolve("distribution-config.yml");
    List<String> lines = new ArrayList<>(List.of("version: 0.1", "log:", "  level: info", "storage:"));
    lines.addAll(storage);
    lines.addAll(List.of("  delete:", "    enabled: true", "http:", "  addr: 127.0.0.1:0", ""));
    Files.writeString(config, String.join("\n", lines));
    Map<String, String> environment = new HashMap<>();
    environment.put("AWS_CA_BUNDLE", null);
    ServerProcess process = ServerProcess.start(List.of("docker-registry", "serve", config.toString()), environment);
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
