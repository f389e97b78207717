package io.berth.launcher.e2e;

import io.berth.common.testing.ChildProcess;
import io.berth.common.testing.PulledLayout;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * skopeo against a registry on 127.0.0.1, with its own HOME, TMPDIR and runtime directory, so no credential, policy
 * or cache of the machine's user leaks into a test. Plain HTTP (TLS verification off) unless made to verify TLS with
 * a certificate directory ({@link #verifyingTlsWith}).
 */
final class Skopeo {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  /** Where skopeo running as root remembers which registry holds which blob, whatever HOME says. */
  private static final Path ROOT_BLOB_INFO_CACHE = Path.of("/var/lib/containers/cache/blob-info-cache-v1.boltdb");

  private final Path work;
  private final Map<String, String> environment;
  private final Path certDir;

  Skopeo(Path work) throws IOException {
    this.work = work;
    this.certDir = null;
    Path home = Files.createDirectories(work.resolve("home"));
    Path tmp = Files.createDirectories(work.resolve("tmp"));
    Path runtime = Files.createDirectories(work.resolve("run"));
    Path policy = home.resolve("policy.json");
    Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
    this.environment = Map.of("HOME", home.toString(), "TMPDIR", tmp.toString(),
        "XDG_RUNTIME_DIR", runtime.toString(), "XDG_DATA_HOME", home.resolve("data").toString(),
        "XDG_CONFIG_HOME", home.resolve("config").toString());
  }

  private Skopeo(Path work, Map<String, String> environment, Path certDir) {
    this.work = work;
    this.environment = environment;
    this.certDir = certDir;
  }

  /**
   * This skopeo with TLS verified, trusting the {@code *.crt} CA files in {@code certDir} and presenting the client
   * certificate {@code client.cert} with {@code client.key} when the directory holds them (skopeo's convention).
   */
  Skopeo verifyingTlsWith(Path certDir) {
    return new Skopeo(work, environment, certDir);
  }

  /** Pushes {@code oci:<layout>:<tag>} to {@code docker://<destination>}. */
  void push(Path layout, String tag, String destination, String... options) throws Exception {
    attemptPush(layout, tag, destination, options).requireSuccess();
  }

  /** A push that may be refused: how skopeo ended, for a test that expects it to fail. */
  ChildProcess.Result attemptPush(Path layout, String tag, String destination, String... options) throws Exception {
    return copy(options, tls("--dest-"), "oci:" + layout + ":" + tag, "docker://" + destination);
  }

  /** Pulls {@code docker://<source>} into {@code oci:<layout>:<tag>} and reads the layout back. */
  PulledLayout pull(String source, Path layout, String tag, String... options) throws Exception {
    attemptPull(source, layout, tag, options).requireSuccess();
    return PulledLayout.read(layout);
  }

  /** A pull that may be refused: how skopeo ended, for a test that expects it to fail. */
  ChildProcess.Result attemptPull(String source, Path layout, String tag, String... options) throws Exception {
    return copy(options, tls("--src-"), "docker://" + source, "oci:" + layout + ":" + tag);
  }

  /** {@code skopeo login} to {@code registry} (host:port), keeping the credentials in {@code authFile}. */
  ChildProcess.Result attemptLogin(String registry, Path authFile, String user, String password) throws Exception {
    return attempt("login", "--tls-verify=false", "--authfile", authFile.toString(), "-u", user, "-p", password,
        registry);
  }

  JsonObject inspect(String reference) throws Exception {
    return new JsonObject(run("inspect", "--tls-verify=false", "docker://" + reference));
  }

  byte[] inspectRaw(String reference) throws Exception {
    return run("inspect", "--raw", "--tls-verify=false", "docker://" + reference).getBytes(StandardCharsets.UTF_8);
  }

  List<String> listTags(String repository) throws Exception {
    JsonObject listing = new JsonObject(run("list-tags", "--tls-verify=false", "docker://" + repository));
    return listing.getJsonArray("Tags").stream().map(String.class::cast).sorted().toList();
  }

  /** skopeo's TLS options for one side of a copy ({@code --src-} or {@code --dest-}). */
  private List<String> tls(String side) {
    return certDir == null ? List.of(side + "tls-verify=false")
        : List.of(side + "tls-verify=true", side + "cert-dir", certDir.toString());
  }

  /** Forgets which blobs skopeo has seen where, so a copy really sends every blob instead of trusting a cache. */
  private ChildProcess.Result copy(String[] options, List<String> tls, String... arguments) throws Exception {
    if (Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
      Files.deleteIfExists(ROOT_BLOB_INFO_CACHE);
    }
    List<String> args = new ArrayList<>(List.of("copy", "--policy", work.resolve("home/policy.json").toString()));
    args.addAll(Arrays.asList(options));
    args.addAll(tls);
    args.addAll(Arrays.asList(arguments));
    return attempt(args.toArray(String[]::new));
  }

  private String run(String... arguments) throws Exception {
    return attempt(arguments).requireSuccess().stdout();
  }

  private ChildProcess.Result attempt(String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("skopeo");
    command.addAll(Arrays.asList(arguments));
    return ChildProcess.command(command).environment(environment).run(TIMEOUT);
  }
}
