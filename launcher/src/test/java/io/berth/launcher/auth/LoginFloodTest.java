package io.berth.launcher.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.FreePorts;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/**
 * A flood of failed logins against the registry in htpasswd mode (1,000 attempts from three other loopback addresses,
 * four connections each, to a gateway of two instances) leaves another client's authenticated blob pull about as fast
 * as it was: password checks run on their own executor, not on the workers that serve storage, and the throttle
 * answers most of the flood 429 before any bcrypt.
 */
class LoginFloodTest {
  private static final int FLOOD = 1000;
  private static final List<String> FLOOD_ADDRESSES = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");
  private static final String WARM_UP_ADDRESS = "127.0.0.5";
  private static final int WARM_UP = 300;
  private static final int CONNECTIONS_PER_ADDRESS = 4;
  private static final int BLOB_BYTES = 1024 * 1024;
  private static final int BASELINE_PULLS = 30;
  private static final long ALLOWED_SLOWDOWN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  @TempDir
  Path temp;
  private RunningRegistry registry;
  private Vertx pullers;
  private Vertx flooders;

  @AfterEach
  void stop() throws Exception {
    for (Vertx clients : new Vertx[] {pullers, flooders}) {
      if (clients != null) {
        clients.close().await(30, TimeUnit.SECONDS);
      }
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void floodOfFailedLoginsLeavesAnotherClientsPullAsFastAsBefore() throws Exception {
    Path users = Files.write(temp.resolve("htpasswd"), List.of(entry("alice", "alice-s3cret"),
        entry("bob", "bob-s3cret")));
    // A fixed port, so that the gateway runs two instances as a process does on more than one core: the throttle
    // must hold across them.
    registry = RunningRegistry.start(temp.resolve("storage"), Map.of(
        "REGISTRY_AUTH_HTPASSWD_PATH", users.toString(),
        "REGISTRY_HTTP_ADDR", "127.0.0.1:" + FreePorts.onLoopback(),
        "REGISTRY_CLUSTER_INSTANCES_GATEWAY", "2"));
    // Clients of their own, as on other machines: the puller's responses never wait behind the flood's in the test.
    pullers = Vertx.vertx();
    flooders = Vertx.vertx();
    WebClient puller = client(pullers, "127.0.0.1", 1);
    byte[] blob = new byte[BLOB_BYTES];
    new Random(7).nextBytes(blob);
    String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
    HttpResponse<Buffer> pushed = puller.request(HttpMethod.POST, "/v2/team/app/blobs/uploads/?digest=" + digest)
        .putHeader("Authorization", basic("alice", "alice-s3cret"))
        .putHeader("Content-Type", "application/octet-stream")
        .sendBuffer(Buffer.buffer(blob)).await(30, TimeUnit.SECONDS);
    assertEquals(201, pushed.statusCode(), pushed.bodyAsString());
    String blobPath = "/v2/team/app/blobs/" + digest;
    // Both paths warm, as in a registry that has served a while: the first run of the refusals (and their JIT
    // compilation) belongs to no pull's measurement.
    floodFrom(List.of(WARM_UP_ADDRESS), WARM_UP).await(60, TimeUnit.SECONDS);
    for (int i = 0; i < 5; i++) {
      pull(puller, blobPath, blob);
    }
    long[] baseline = new long[BASELINE_PULLS];
    for (int i = 0; i < BASELINE_PULLS; i++) {
      baseline[i] = pull(puller, blobPath, blob);
    }

    long floodStart = System.nanoTime();
    Future<List<Integer>> flood = floodFrom(FLOOD_ADDRESSES, FLOOD);
    List<Long> during = new ArrayList<>();
    while (!flood.isComplete()) {
      during.add(pull(puller, blobPath, blob));
    }
    List<Integer> statuses = flood.await(60, TimeUnit.SECONDS);
    long floodNanos = System.nanoTime() - floodStart;

    long baselineMedian = median(baseline);
    long duringMedian = median(during.stream().mapToLong(Long::longValue).toArray());
    String medians = String.format("pull median without flood %.2f ms, during flood %.2f ms (%d pulls, flood %d ms)",
        baselineMedian / 1e6, duringMedian / 1e6, during.size(), floodNanos / 1_000_000);
    System.out.println("[LoginFloodTest] " + medians);
    assertTrue(during.size() >= 5, "too few pulls during the flood to compare: " + medians);
    assertTrue(duringMedian - baselineMedian < ALLOWED_SLOWDOWN_NANOS, medians);
    assertTrue(statuses.stream().allMatch(status -> status == 401 || status == 429), statuses.toString());
    assertTrue(statuses.stream().filter(status -> status == 429).count() > FLOOD / 2,
        "most of the flood is throttled before any bcrypt");
  }

  /** Unknown users and wrong passwords of bob, spread over the addresses; the statuses answered. */
  private Future<List<Integer>> floodFrom(List<String> addresses, int attemptCount) {
    List<Future<Integer>> attempts = new ArrayList<>();
    List<WebClient> floods = addresses.stream().map(address -> client(flooders, address, CONNECTIONS_PER_ADDRESS))
        .toList();
    for (int i = 0; i < attemptCount; i++) {
      String authorization = i % 2 == 0 ? basic("intruder-" + i, "guess-" + i) : basic("bob", "guess-" + i);
      attempts.add(floods.get(i % floods.size()).request(HttpMethod.GET, "/v2/")
          .putHeader("Authorization", authorization).send().map(HttpResponse::statusCode));
    }
    return Future.all(attempts).map(all -> attempts.stream().map(Future::result).toList());
  }

  private static long pull(WebClient puller, String path, byte[] expected) throws Exception {
    long start = System.nanoTime();
    HttpResponse<Buffer> response = puller.request(HttpMethod.GET, path)
        .putHeader("Authorization", basic("alice", "alice-s3cret")).send().await(60, TimeUnit.SECONDS);
    long elapsed = System.nanoTime() - start;
    assertEquals(200, response.statusCode(), response::bodyAsString);
    assertArrayEquals(expected, response.body().getBytes());
    return elapsed;
  }

  private WebClient client(Vertx clients, String localAddress, int connections) {
    return WebClient.create(clients, new WebClientOptions().setDefaultHost("127.0.0.1")
            .setDefaultPort(registry.port()).setLocalAddress(localAddress).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
  }

  /** bcrypt of cost 5 with the {@code $2y$} prefix, as {@code htpasswd -B} writes it. */
  private static String entry(String user, String password) {
    return user + ":" + BCrypt.hashpw(password, BCrypt.gensalt(5)).replaceFirst("^\\$2a\\$", "\\$2y\\$");
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static long median(long[] samples) {
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
