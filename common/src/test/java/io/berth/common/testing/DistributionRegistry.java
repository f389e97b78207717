package io.berth.common.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CNCF distribution's own server ({@code docker-registry serve}, Debian's package of distribution 2.8) on 127.0.0.1,
 * on a port the kernel picks: the reference Berth interoperates with, as the storage layout Berth must read and
 * write, or as the third-party verifier of Berth's tokens. Ready once it logs where it listens and {@code /v2/}
 * answers.
 */
public final class DistributionRegistry implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  private final ChildProcess process;
  private final String hostPort;
  private final Path root;

  private DistributionRegistry(ChildProcess process, String hostPort, Path root) {
    this.process = process;
    this.hostPort = hostPort;
    this.root = root;
  }

  /** distribution storing under the directory {@code root}. */
  public static Setup onFilesystem(Path root) {
    Path absolute = root.toAbsolutePath();
    return new Setup(List.of("  filesystem:", "    rootdirectory: " + absolute), absolute);
  }

  /**
   * distribution on an S3 bucket, configured as for any S3-compatible endpoint. Its s3 driver panics at start when
   * the environment sets {@code AWS_CA_BUNDLE} over plain HTTP, so the variable is removed.
   */
  public static Setup onS3(URI endpoint, String accessKey, String secretKey, String bucket, String rootDirectory) {
    return new Setup(List.of(
        "  s3:",
        "    accesskey: " + accessKey,
        "    secretkey: " + secretKey,
        "    region: us-east-1",
        "    regionendpoint: " + endpoint,
        "    secure: false",
        "    v4auth: true",
        "    bucket: " + bucket,
        "    rootdirectory: " + rootDirectory), null);
  }

  /** How the registry is configured before it starts. */
  public static final class Setup {
    private final List<String> storage;
    private final Path root;
    private List<String> auth = List.of();

    private Setup(List<String> storage, Path root) {
      this.storage = storage;
      this.root = root;
    }

    /** {@code auth.token}: the registry accepts only bearer tokens of {@code issuer}, verified against the bundle. */
    public Setup tokenAuth(String realm, String service, String issuer, Path rootCertBundle) {
      auth = List.of(
          "auth:",
          "  token:",
          "    realm: " + realm,
          "    service: " + service,
          "    issuer: " + issuer,
          "    rootcertbundle: " + rootCertBundle);
      return this;
    }

    /** Starts it with its configuration file in {@code workDir}. */
    public DistributionRegistry start(Path workDir) throws IOException, InterruptedException {
      List<String> lines = new ArrayList<>(List.of("version: 0.1", "log:", "  level: info", "storage:"));
      lines.addAll(storage);
      lines.addAll(List.of("  delete:", "    enabled: true", "http:", "  addr: 127.0.0.1:0",
          "  secret: berth-test-secret"));
      lines.addAll(auth);
      Path config = Files.writeString(workDir.resolve("distribution-config.yml"), String.join("\n", lines) + "\n");
      Map<String, String> environment = new HashMap<>();
      environment.put("AWS_CA_BUNDLE", null);
      ChildProcess process = ChildProcess.command("docker-registry", "serve", config.toString())
          .environment(environment).start();
      try {
        // distribution logs the address it bound just before it serves; /v2/ must then answer.
        String hostPort = "127.0.0.1:" + process.awaitPort(LISTENING, Duration.ofSeconds(30));
        int expected = auth.isEmpty() ? 200 : 401;
        int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/v2/"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != expected) {
          throw new AssertionError("docker-registry /v2/ answered " + status + ", not " + expected + "\n"
              + process.log());
        }
        return new DistributionRegistry(process, hostPort, root);
      } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
        process.close();
        throw e;
      }
    }
  }

  public String hostPort() {
    return hostPort;
  }

  /** Whether the registry stored a repository of that name (filesystem storage only). */
  public boolean hasRepository(String name) {
    if (root == null) {
      throw new IllegalStateException("the registry stores on S3, not in a directory");
    }
    return Files.isDirectory(root.resolve("docker/registry/v2/repositories").resolve(name));
  }

  /** The registry's log so far, for assertion messages. */
  public String log() {
    return process.log();
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
