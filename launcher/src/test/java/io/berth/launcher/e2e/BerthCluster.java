package io.berth.launcher.e2e;

import io.berth.common.testing.ChildProcess;
import io.berth.common.testing.FreePorts;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A scaled-out Berth: one child JVM per member, each the packaged launcher
 * ({@code java -Xmx128m … -jar berth.jar serve --cluster --services …}), all on 127.0.0.1 with free ports, one
 * {@link ClusterStorage} (a storage directory, or an S3 bucket), and a cluster name of their own so that no other
 * test's members can join. Each member runs in a working directory of its own, where Berth keeps the files that are
 * not the registry's (on S3: the token issuer's key, the notification queues). Members start in parallel;
 * {@link #start} returns once every member has deployed its services and sees all the others. One verticle instance
 * per service keeps eight JVMs within two cores.
 */
final class BerthCluster implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(120);
  private static final long READY_POLL_MS = 100;
  /**
   * The heap an operator would give a member; the client compiler only and the serial collector, because eight JVMs
   * warming up on two cores spend most of their start compiling and collecting in parallel threads.
   */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /** A member to start: its name in the test, the services it runs, and {@code REGISTRY_*} settings of its own. */
  record Spec(String name, String services, Map<String, String> environment) {
    Spec(String name, String services) {
      this(name, services, Map.of());
    }

    boolean runsGateway() {
      return List.of(services.split(",")).contains("gateway");
    }
  }

  /**
   * A running member. {@code httpPort} is its gateway's port, for a member that runs the gateway; {@code directory}
   * its working directory, which no other member shares.
   */
  record Member(Spec spec, ChildProcess process, int clusterPort, int httpPort, Path directory) {
    String name() {
      return spec.name();
    }

    /** host:port of the member's gateway, as image references and skopeo want it. */
    String hostPort() {
      if (!spec.runsGateway()) {
        throw new IllegalStateException(spec.name() + " runs no gateway");
      }
      return "127.0.0.1:" + httpPort;
    }

    /** SIGKILL: the member vanishes without leaving the cluster, as a crashed process does. */
    void kill() throws InterruptedException {
      process.kill();
    }
  }

  private final Map<String, Member> members;
  /** How each member was started, so that a killed one can be started again as it was. */
  private final Map<String, Map<String, String>> environments = new HashMap<>();
  private Path work;
  private String jar;

  private BerthCluster(Map<String, Member> members) {
    this.members = members;
  }

  /** {@link #start(Path, ClusterStorage, Map, List)} on one storage directory, {@code work/storage}. */
  static BerthCluster start(Path work, Map<String, String> shared, List<Spec> specs) throws Exception {
    return start(work, new ClusterStorage.SharedDirectory(work.resolve("storage")), shared, specs);
  }

  /**
   * Starts every member of {@code specs} at once on {@code storage}, sharing {@code shared} settings, and waits until
   * each one logged that its services started and that the cluster has all of them.
   */
  static BerthCluster start(Path work, ClusterStorage storage, Map<String, String> shared, List<Spec> specs)
      throws Exception {
    String jar = System.getProperty("berth.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new AssertionError("the packaged launcher is missing (system property berth.jar = " + jar
          + "); run the *IT tests through `mvn verify`, which packages it first");
    }
    String name = "berth-it-" + UUID.randomUUID();
    Map<String, Integer> clusterPorts = new LinkedHashMap<>();
    for (Spec spec : specs) {
      clusterPorts.put(spec.name(), FreePorts.onLoopback());
    }
    String memberList = clusterPorts.values().stream().map(port -> "127.0.0.1:" + port)
        .collect(Collectors.joining(","));
    Map<String, Member> members = new LinkedHashMap<>();
    BerthCluster cluster = new BerthCluster(members);
    cluster.work = work;
    cluster.jar = jar;
    try {
      for (Spec spec : specs) {
        Map<String, String> env = new HashMap<>();
        env.putAll(storage.environment());
        env.put("REGISTRY_HTTP_DRAINTIMEOUT", "2s");
        env.put("REGISTRY_CLUSTER_NAME", name);
        env.put("REGISTRY_CLUSTER_HOST", "127.0.0.1");
        env.put("REGISTRY_CLUSTER_MEMBERS", memberList);
        env.put("REGISTRY_CLUSTER_INSTANCES_GATEWAY", "1");
        env.put("REGISTRY_CLUSTER_INSTANCES_BLOB", "1");
        env.put("REGISTRY_CLUSTER_INSTANCES_MANIFEST", "1");
        env.putAll(shared);
        cluster.environments.put(spec.name(), env);
        members.put(spec.name(), launch(work, jar, spec, clusterPorts.get(spec.name()), env));
      }
      cluster.awaitFormed(specs.size());
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private static Member launch(Path work, String jar, Spec spec, int clusterPort, Map<String, String> environment)
      throws IOException {
    return launch(work, jar, spec, clusterPort, spec.runsGateway() ? FreePorts.onLoopback() : 0, environment);
  }

  private static Member launch(Path work, String jar, Spec spec, int clusterPort, int httpPort,
      Map<String, String> environment) throws IOException {
    Map<String, String> env = new HashMap<>(environment);
    env.put("REGISTRY_HTTP_ADDR", "127.0.0.1:" + httpPort);
    env.put("REGISTRY_CLUSTER_PORT", Integer.toString(clusterPort));
    env.putAll(spec.environment());
    List<String> command = new ArrayList<>();
    command.add(ChildProcess.javaBinary());
    command.addAll(JVM_OPTIONS);
    command.addAll(List.of("-Dvertx.cacheDirBase=" + work.resolve("vertx-cache-" + spec.name()), "-jar", jar,
        "serve", "--cluster", "--services", spec.services()));
    Path directory = Files.createDirectories(work.resolve("members").resolve(spec.name()));
    return new Member(spec, ChildProcess.command(command).environment(env).directory(directory).start(),
        clusterPort, httpPort, directory);
  }

  private void awaitFormed(int size) throws InterruptedException {
    long deadline = System.nanoTime() + START.toNanos();
    for (Member member : members.values()) {
      member.process().awaitLine(line -> line.contains("started [services: "), left(deadline));
      member.process().awaitLine(line -> line.contains("members: " + size + "]"), left(deadline));
    }
    for (Member member : members.values()) {
      if (member.spec().runsGateway()) {
        awaitReady(member, deadline);
      }
    }
  }

  /**
   * As a load balancer waits for {@code /readyz}: a gateway started before the blob services answers 503 until its
   * next question to them (a second later) finds one.
   */
  private static void awaitReady(Member member, long deadline) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://" + member.hostPort() + "/readyz"))
        .timeout(Duration.ofSeconds(5)).build();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = client.send(ready, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(READY_POLL_MS);
    }
    throw new AssertionError(member.name() + " never became ready (/readyz: " + last + ")\n" + member.process().log());
  }

  private static Duration left(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  /**
   * Starts a member that was killed again, as it was first started (same ports, same settings), and returns once it
   * logged that its services started: a crashed process brought back by its supervisor. Members may be restarted
   * from several threads at once.
   */
  Member restart(String memberName) throws IOException, InterruptedException {
    Member old = member(memberName);
    if (old.process().isAlive()) {
      throw new IllegalStateException(memberName + " is still running");
    }
    old.process().close();
    Member started = launch(work, jar, old.spec(), old.clusterPort(), old.httpPort(),
        environments.get(memberName));
    synchronized (members) {
      members.put(memberName, started);
    }
    started.process().awaitLine(line -> line.contains("started [services: "), START);
    return started;
  }

  Member member(String memberName) {
    Member member;
    synchronized (members) {
      member = members.get(memberName);
    }
    if (member == null) {
      throw new NoSuchElementException("no member " + memberName + " in " + members.keySet());
    }
    return member;
  }

  List<Member> members() {
    return List.copyOf(members.values());
  }

  /** Every member's log, for a failure message. */
  String logs() {
    return members.values().stream().map(member -> "=== " + member.name() + "\n" + member.process().log())
        .collect(Collectors.joining("\n"));
  }

  /** SIGKILL to every member still running: a test's cluster needs no orderly shutdown. */
  @Override
  public void close() throws InterruptedException {
    for (Member member : members.values()) {
      member.process().close();
    }
  }
}
