package io.berth.launcher.e2e;

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
 * skopeo against a plain-HTTP registry on 127.0.0.1, with its own HOME, TMPDIR and runtime directory, so no
 * credential, policy or cache of the machine's user leaks into a test.
 */
final class Skopeo {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  /** Where skopeo running as root remembers which registry holds which blob, whatever HOME says. */
  private static final Path ROOT_BLOB_INFO_CACHE = Path.of("/var/lib/containers/cache/blob-info-cache-v1.boltdb");

  private final Path work;
  private final Map<String, String> environment;

  Skopeo(Path work) throws IOException {
    this.work = work;
    Path home = Files.createDirectories(work.resolve("home"));
    Path tmp = Files.createDirectories(work.resolve("tmp"));
    Path runtime = Files.createDirectories(work.resolve("run"));
    Path policy = home.resolve("policy.json");
    Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
    this.environment = Map.of("HOME", home.toString(), "TMPDIR", tmp.toString(),
        "XDG_RUNTIME_DIR", runtime.toString(), "XDG_DATA_HOME", home.resolve("data").toString(),
        "XDG_CONFIG_HOME", home.resolve("config").toString());
  }

  /** Pushes {@code oci:<layout>:<tag>} to {@code docker://<destination>}. */
  void push(Path layout, String tag, String destination, String... options) throws Exception {
    attemptPush(layout, tag, destination, options).requireSuccess();
  }

  /** A push that may be refused: how skopeo ended, for a test that expects it to fail. */
  ChildProcess.Result attemptPush(Path layout, String tag, String destination, String... options) throws Exception {
    return copy(options, "--dest-tls-verify=false", "oci:" + layout + ":" + tag, "docker://" + destination);
  }

  /** Pulls {@code docker://<source>} into {@code oci:<layout>:<tag>} and reads the layout back. */
  PulledLayout pull(String source, Path layout, String tag, String... options) throws Exception {
    attemptPull(source, layout, tag, options).requireSuccess();
    return PulledLayout.read(layout);
  }

  /** A pull that may be refused: how skopeo ended, for a test that expects it to fail. */
  ChildProcess.Result attemptPull(String source, Path layout, String tag, String... options) throws Exception {
    return copy(options, "--src-tls-verify=false", "docker://" + source, "oci:" + layout + ":" + tag);
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

  /** Forgets which blobs skopeo has seen where, so a copy really sends every blob instead of trusting a cache. */
  private ChildProcess.Result copy(String[] options, String... arguments) throws Exception {
    if (Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
      Files.deleteIfExists(ROOT_BLOB_INFO_CACHE);
    }
    List<String> args = new ArrayList<>(List.of("copy", "--policy", work.resolve("home/policy.json").toString()));
    args.addAll(Arrays.asList(options));
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
    return ChildProcess.run(command, environment, work, TIMEOUT);
  }
}
