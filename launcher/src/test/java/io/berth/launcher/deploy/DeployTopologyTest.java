package io.berth.launcher.deploy;

import static io.berth.launcher.deploy.DeployFiles.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.berth.common.config.AuthConfig;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.berth.common.testing.Eventually;
import io.berth.common.testing.S3TestServer;
import io.berth.launcher.EmbeddedRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the deploy files fit together: ports (EXPOSE, compose ports, nginx upstreams, containerPorts, probes, Services,
 * Ingress) agree with the addresses each container's configuration listens on; cluster members bind their own address
 * and find each other; the gateway probes answer 200 on a registry running the Kubernetes configuration.
 */
class DeployTopologyTest {
  /** The gateway's unauthenticated health routes (gateway.health.HealthRoutes). */
  private static final Set<String> HEALTH_PATHS = Set.of("/livez", "/readyz");
  private static final List<String> PROBES = List.of("startupProbe", "livenessProbe", "readinessProbe");

  @TempDir
  static Path scratch;
  private static Vertx vertx;
  private static DeployFiles deploy;
  private static Map<String, Running> running;
  private static S3TestServer s3;

  /** A container with its parsed command line and configuration. */
  private record Running(BerthContainer container, ServeCommand serve, EffectiveConfig config) {
    Map<Integer, String> listening() {
      return config.listening(serve);
    }

    String env(String name) {
      return container.environment().get(name);
    }
  }

  @BeforeAll
  static void resolveContainers() throws Exception {
    s3 = S3TestServer.start();
    vertx = Vertx.vertx();
    deploy = new DeployFiles(scratch);
    List<String> failures = new ArrayList<>();
    running = new LinkedHashMap<>();
    for (BerthContainer container : deploy.containers(scratch, failures)) {
      running.put(container.where(), new Running(container, container.serve(),
          EffectiveConfig.load(vertx, container.configFile(), container.environment())));
    }
    assertNone("containers (DeployFilesTest says more)", failures);
  }

  @AfterAll
  static void closeVertx() throws Exception {
    try {
      vertx.close().await();
    } finally {
      s3.close();
    }
  }

  private static Running compose(ComposeFile file, String service) {
    return running.get(file.where(service));
  }

  private static Running kubernetes(KubernetesManifests.Resource deployment) {
    return running.get(deployment.where() + " container " + KubernetesManifests.CONTAINER);
  }

  @Test
  void imageExposesTheRegistryPortAndComposePublishesOnlyPortsItsContainersListenOn() {
    List<String> failures = new ArrayList<>();
    Dockerfile image = deploy.image;
    Set<Integer> exposed = image.all("EXPOSE").stream().filter(e -> e.stage() == image.finalStage())
        .flatMap(e -> Arrays.stream(e.arguments().split("\\s+"))).map(p -> Integer.parseInt(p.replace("/tcp", "")))
        .collect(Collectors.toCollection(TreeSet::new));
    Running defaults = running.get(deploy.imageDefaults().where());
    if (!exposed.equals(defaults.listening().keySet())) {
      failures.add(image.where(image.last("EXPOSE").line()) + ": EXPOSE " + exposed + " but the image's config "
          + Repo.name(defaults.container().configFile()) + " listens on " + defaults.listening());
    }
    for (ComposeFile compose : deploy.composeFiles()) {
      for (String service : compose.berthServices(image)) {
        Map<Integer, String> listening = compose(compose, service).listening();
        for (int port : compose.publishedContainerPorts(service)) {
          if (!listening.containsKey(port)) {
            failures.add(compose.where(service) + ".ports publishes container port " + port
                + ", on which it does not listen (it listens on " + listening + ")");
          }
        }
      }
    }
    Running registry = compose(deploy.allInOne, "registry");
    int http = registry.config().parsed().http().port();
    if (!deploy.allInOne.publishedContainerPorts("registry").contains(http)) {
      failures.add(deploy.allInOne.where("registry") + ".ports does not publish http.addr's port " + http);
    }
    assertNone("exposed and published ports", failures);
  }

  /**
   * Every Berth container of the compose files has a health check that runs the image's {@code registry healthcheck}
   * against a probe path on a port the container listens on (without a URL: the gateway's {@code /readyz}).
   */
  @Test
  void composeHealthChecksProbeWhatEachContainerServes() {
    List<String> failures = new ArrayList<>();
    Pattern url = Pattern.compile("registry healthcheck(?: http://127\\.0\\.0\\.1:(\\d+)(/\\S*))?");
    for (ComposeFile compose : deploy.composeFiles()) {
      for (String service : compose.berthServices(deploy.image)) {
        Running container = compose(compose, service);
        List<String> test = Yml.strings(Yml.get(compose.service(service), "healthcheck", "test"));
        String command = test.isEmpty() ? "" : test.get(0).equals("CMD") ? String.join(" ", test.subList(1,
            test.size())) : test.get(0).equals("CMD-SHELL") ? test.get(1) : "";
        Matcher matcher = url.matcher(command);
        if (!matcher.find()) {
          failures.add(compose.where(service) + ".healthcheck does not run registry healthcheck: " + test);
        } else if (matcher.group(1) == null) {
          if (!container.serve().names("gateway")) {
            failures.add(compose.where(service) + ".healthcheck asks http.addr's /readyz, but it runs no gateway");
          }
        } else if (!container.listening().containsKey(Integer.parseInt(matcher.group(1)))
            || !HEALTH_PATHS.contains(matcher.group(2))) {
          failures.add(compose.where(service) + ".healthcheck asks " + matcher.group(1) + matcher.group(2)
              + "; it listens on " + container.listening() + " and the probes are " + HEALTH_PATHS);
        }
      }
    }
    assertNone("compose health checks", failures);
  }

  @Test
  void nginxBalancesEveryGatewayAndReachesTheIssuerOnTheirConfiguredPorts() {
    for (ComposeFile compose : deploy.clusterComposeFiles()) {
      checkNginx(compose);
    }
  }

  private static void checkNginx(ComposeFile compose) {
    List<String> failures = new ArrayList<>();
    String nginx = compose.services().keySet().stream()
        .filter(s -> String.valueOf(compose.service(s).get("image")).startsWith("nginx")).findFirst()
        .orElseThrow(() -> new AssertionError(Repo.name(compose.file) + ": no nginx service"));
    Path confFile = compose.bindMounts(nginx).values().stream().filter(p -> p.toString().endsWith(".conf"))
        .findFirst().orElseThrow(() -> new AssertionError(compose.where(nginx) + ": mounts no .conf file"));
    NginxConf conf = NginxConf.read(confFile);
    Set<Integer> listens = conf.find("listen").stream()
        .map(l -> Integer.parseInt(l.arguments().get(0).replaceAll(".*:", ""))).collect(Collectors.toSet());
    for (int port : compose.publishedContainerPorts(nginx)) {
      if (!listens.contains(port)) {
        failures.add(compose.where(nginx) + ".ports publishes " + port + ", on which " + Repo.name(confFile)
            + " does not listen " + listens);
      }
    }
    Map<String, NginxConf.Directive> upstreams = new HashMap<>();
    Set<String> balanced = new TreeSet<>();
    Set<String> gatewayUpstreams = new TreeSet<>();
    List<String> berth = compose.berthServices(deploy.image);
    for (NginxConf.Directive upstream : conf.find("upstream")) {
      upstreams.put(upstream.arguments().get(0), upstream);
      for (NginxConf.Directive server : upstream.find("server")) {
        String[] hostPort = server.arguments().get(0).split(":");
        String host = hostPort[0];
        int port = hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : 80;
        if (!berth.contains(host)) {
          failures.add(conf.where(server) + ": upstream server " + host + " is no Berth service of "
              + Repo.name(compose.file));
          continue;
        }
        Running target = compose(compose, host);
        if (!target.listening().containsKey(port)) {
          failures.add(conf.where(server) + ": " + host + ":" + port + ", but " + host + " listens on "
              + target.listening());
        }
        balanced.add(host);
        if (target.serve().names("gateway")) {
          gatewayUpstreams.add(upstream.arguments().get(0));
        }
      }
    }
    for (String service : berth) {
      Running target = compose(compose, service);
      boolean serves = target.serve().names("gateway")
          || target.serve().names("auth") && target.config().parsed().authServer().enabled();
      if (serves && !balanced.contains(service)) {
        failures.add(Repo.name(confFile) + ": no upstream sends requests to " + service + " " + target.listening());
      }
    }
    for (NginxConf.Directive server : conf.find("server")) {
      if (server.block() == null) {
        continue;
      }
      for (NginxConf.Directive proxy : server.find("proxy_pass")) {
        String upstream = proxy.arguments().get(0).replaceFirst("^https?://", "");
        if (!upstreams.containsKey(upstream)) {
          failures.add(conf.where(proxy) + ": proxy_pass to " + upstream + ", which is no upstream");
        } else if (gatewayUpstreams.contains(upstream)) {
          requireStreaming(conf, server, failures);
        }
      }
    }
    assertNone("nginx in front of the cluster of " + Repo.name(compose.file), failures);
  }

  /** Without these, nginx caps pushes at 1 MiB and spools every layer to its disk before the gateway sees a byte. */
  private static void requireStreaming(NginxConf conf, NginxConf.Directive server, List<String> failures) {
    Map<String, String> required = Map.of("client_max_body_size", "0", "proxy_request_buffering", "off");
    required.forEach((name, value) -> {
      if (server.find(name).stream().noneMatch(d -> d.arguments().equals(List.of(value)))) {
        failures.add(conf.where(server) + ": the server proxying to the gateways lacks " + name + " " + value);
      }
    });
    if (server.find("chunked_transfer_encoding").stream().anyMatch(d -> d.arguments().equals(List.of("off")))) {
      failures.add(conf.where(server) + ": chunked_transfer_encoding off breaks chunked blob uploads");
    }
  }

  @Test
  void kubernetesPortsProbesAndServicesAgreeWithTheConfiguration() {
    List<String> failures = new ArrayList<>();
    for (KubernetesManifests k8s : deploy.kubernetesVariants()) {
      checkKubernetesPorts(k8s, failures);
    }
    assertNone("deploy/k8s and deploy/k8s-s3 ports, probes and Services", failures);
  }

  private static void checkKubernetesPorts(KubernetesManifests k8s, List<String> failures) {
    for (KubernetesManifests.Resource deployment : k8s.ofKind("Deployment")) {
      Map<String, Object> container = KubernetesManifests.berthContainer(deployment);
      Running pod = kubernetes(deployment);
      Map<Integer, String> listening = pod.listening();
      Map<String, Integer> declared = KubernetesManifests.containerPorts(container);
      listening.forEach((port, key) -> {
        if (!declared.containsValue(port)) {
          failures.add(deployment.where() + ": listens on " + port + " (" + key + ") but declares no containerPort");
        }
      });
      declared.forEach((name, port) -> {
        if (!listening.containsKey(port)) {
          failures.add(deployment.where() + ": containerPort " + name + " " + port + ", on which nothing listens "
              + listening);
        }
      });
      checkProbes(deployment, container, pod, failures);
    }
    for (KubernetesManifests.Resource service : k8s.ofKind("Service")) {
      checkService(k8s, service, failures);
    }
    for (KubernetesManifests.Resource ingress : k8s.ofKind("Ingress")) {
      for (Object rule : Yml.list(Yml.get(ingress.body(), "spec", "rules"))) {
        for (Object path : Yml.list(Yml.get(rule, "http", "paths"))) {
          String name = Yml.text(Yml.get(path, "backend", "service", "name"));
          Object port = Yml.get(path, "backend", "service", "port", "number");
          boolean found = k8s.find("Service", name).map(s -> Yml.list(Yml.get(s.body(), "spec", "ports")).stream()
              .anyMatch(p -> String.valueOf(Yml.get(p, "port")).equals(String.valueOf(port)))).orElse(false);
          if (!found) {
            failures.add(ingress.where() + ": path " + Yml.get(path, "path") + " goes to " + name + ":" + port
                + ", which no Service offers");
          }
        }
      }
    }
  }

  /**
   * Every container has a liveness and a readiness probe; an HTTP probe asks {@code /livez} or {@code /readyz} on
   * the gateway's port or on the debug server's, where processes without a gateway answer them.
   */
  private static void checkProbes(KubernetesManifests.Resource deployment, Map<String, Object> container, Running pod,
      List<String> failures) {
    RegistryConfig config = pod.config().parsed();
    Set<Integer> healthPorts = new TreeSet<>();
    if (pod.serve().names("gateway")) {
      healthPorts.add(config.http().port());
    }
    if (config.debug().enabled()) {
      healthPorts.add(config.debug().port());
    }
    for (String kind : PROBES) {
      Object probe = container.get(kind);
      if (probe == null) {
        if (!kind.equals("startupProbe")) {
          failures.add(deployment.where() + ": no " + kind);
        }
        continue;
      }
      Object httpGet = Yml.get(probe, "httpGet");
      Object port = httpGet != null ? Yml.get(httpGet, "port") : Yml.get(probe, "tcpSocket", "port");
      Integer resolved = KubernetesManifests.resolvePort(container, port);
      String where = deployment.where() + " " + kind;
      if (resolved == null) {
        failures.add(where + ": port " + port + " names no containerPort");
      } else if (httpGet != null) {
        String path = Yml.text(Yml.get(httpGet, "path"));
        if (!healthPorts.contains(resolved) || !HEALTH_PATHS.contains(path)) {
          failures.add(where + ": GET " + path + " on " + resolved + "; the probes are " + HEALTH_PATHS
              + " on the gateway's http.addr port or the debug server's http.debug.addr port " + healthPorts);
        }
      } else if (!pod.listening().containsKey(resolved)) {
        failures.add(where + ": port " + resolved + ", on which nothing listens " + pod.listening());
      }
    }
  }

  private static void checkService(KubernetesManifests k8s, KubernetesManifests.Resource service,
      List<String> failures) {
    Map<String, Object> selector = Yml.map(Yml.get(service.body(), "spec", "selector"));
    List<KubernetesManifests.Resource> selected = k8s.ofKind("Deployment").stream()
        .filter(d -> KubernetesManifests.selects(selector, d)).toList();
    if (selected.isEmpty()) {
      failures.add(service.where() + ": selector " + selector + " selects no Deployment's pods");
    }
    for (Object port : Yml.list(Yml.get(service.body(), "spec", "ports"))) {
      Object target = Yml.get(port, "targetPort") != null ? Yml.get(port, "targetPort") : Yml.get(port, "port");
      for (KubernetesManifests.Resource deployment : selected) {
        Integer resolved = KubernetesManifests.resolvePort(KubernetesManifests.berthContainer(deployment), target);
        if (resolved == null || !kubernetes(deployment).listening().containsKey(resolved)) {
          failures.add(service.where() + ": targetPort " + target + " is no port " + deployment.name()
              + " listens on " + kubernetes(deployment).listening());
        }
      }
    }
  }

  @Test
  void clusterMembersBindTheirOwnAddressAndFindEveryOtherMember() {
    List<String> failures = new ArrayList<>();
    for (ComposeFile compose : deploy.clusterComposeFiles()) {
      checkComposeMembers(compose, failures);
    }
    for (KubernetesManifests k8s : deploy.kubernetesVariants()) {
      for (KubernetesManifests.Resource deployment : k8s.ofKind("Deployment")) {
        checkKubernetesDiscovery(k8s, deployment, failures);
      }
    }
    Set<Object> names = running.values().stream().filter(r -> r.serve().cluster())
        .map(r -> r.config().merged().getJsonObject("cluster", new JsonObject()).getValue("name"))
        .collect(Collectors.toSet());
    if (names.size() != 1) {
      failures.add("members of different cluster.name values never join: " + names);
    }
    assertNone("cluster membership", failures);
  }

  private static void checkComposeMembers(ComposeFile compose, List<String> failures) {
    List<String> members = compose.berthServices(deploy.image);
    Set<String> expected = members.stream().map(s -> s + ":" + compose(compose, s).config().clusterPort())
        .collect(Collectors.toCollection(TreeSet::new));
    for (String service : members) {
      Running member = compose(compose, service);
      String address = Yml.map(compose.service(service).get("networks")).values().stream()
          .map(network -> Yml.text(Yml.get(network, "ipv4_address"))).filter(a -> a != null).findFirst().orElse(null);
      if (address == null || !address.equals(member.env("REGISTRY_CLUSTER_HOST"))) {
        failures.add(compose.where(service) + ": REGISTRY_CLUSTER_HOST " + member.env("REGISTRY_CLUSTER_HOST")
            + " is not its own address on the network (" + address + ")");
      }
      String list = member.env("REGISTRY_CLUSTER_MEMBERS");
      Set<String> named = list == null ? Set.of() : new TreeSet<>(Arrays.asList(list.split("\\s*,\\s*")));
      Set<String> missing = new TreeSet<>(expected);
      missing.removeAll(named);
      Set<String> strangers = new TreeSet<>(named);
      strangers.removeAll(expected);
      if (!missing.isEmpty() || !strangers.isEmpty()) {
        failures.add(compose.where(service) + ": REGISTRY_CLUSTER_MEMBERS lacks " + missing + " and names " + strangers
            + ", which are no members (Berth services at their cluster.port)");
      }
    }
  }

  /**
   * compose.s3.yaml: every Berth process stores on S3 with the credentials compose gives it, no named volume is written
   * by two services (the bucket is what they share), and the gateways' certificate is on the volume the issuer writes.
   */
  @Test
  void s3ComposeSharesTheBucketAndNoWritableVolume() {
    ComposeFile compose = deploy.s3;
    List<String> failures = new ArrayList<>();
    Map<String, List<String>> writers = new TreeMap<>();
    for (String service : compose.berthServices(deploy.image)) {
      Running container = compose(compose, service);
      JsonObject s3 = container.config().merged().getJsonObject("storage", new JsonObject()).getJsonObject("s3");
      if (s3 == null || s3.getValue("accesskey") == null || s3.getValue("secretkey") == null) {
        failures.add(compose.where(service) + ": not on storage.s3 with accesskey and secretkey: " + s3);
      }
      namedVolumes(compose, service).forEach((target, volume) -> {
        if (!volume.readOnly()) {
          writers.computeIfAbsent(volume.name(), v -> new ArrayList<>()).add(service);
        }
      });
    }
    writers.forEach((volume, services) -> {
      if (services.size() > 1) {
        failures.add(Repo.name(compose.file) + ": volume " + volume + " is written by " + services);
      }
    });
    for (String service : compose.berthServices(deploy.image)) {
      Running container = compose(compose, service);
      if (!container.serve().names("gateway")) {
        continue;
      }
      // Relative to the image's working directory, /.
      String bundle = Path.of("/").resolve(container.config().merged().getJsonObject("auth").getJsonObject("token")
          .getString("rootcertbundle")).normalize().toString();
      String volume = namedVolumes(compose, service).entrySet().stream()
          .filter(mount -> bundle.startsWith(mount.getKey() + "/")).map(mount -> mount.getValue().name())
          .findFirst().orElse(null);
      List<String> authWriters = compose.berthServices(deploy.image).stream()
          .filter(s -> compose(compose, s).serve().names("auth")).filter(s -> namedVolumes(compose, s).values()
              .stream().anyMatch(v -> !v.readOnly() && v.name().equals(volume))).toList();
      if (volume == null || authWriters.isEmpty()) {
        failures.add(compose.where(service) + ": auth.token.rootcertbundle " + bundle
            + " is on no volume the token issuer writes");
      }
    }
    assertNone("S3 compose volumes", failures);
  }

  private record NamedVolume(String name, boolean readOnly) {}

  /** The service's named-volume mounts: container path → volume. */
  private static Map<String, NamedVolume> namedVolumes(ComposeFile compose, String service) {
    Map<String, NamedVolume> volumes = new LinkedHashMap<>();
    for (Object entry : Yml.list(compose.service(service).get("volumes"))) {
      String[] parts = String.valueOf(entry).split(":");
      if (parts.length >= 2 && !parts[0].startsWith(".") && !parts[0].startsWith("/")) {
        volumes.put(parts[1], new NamedVolume(parts[0], parts.length > 2 && parts[2].contains("ro")));
      }
    }
    return volumes;
  }

  private static void checkKubernetesDiscovery(KubernetesManifests k8s, KubernetesManifests.Resource deployment,
      List<String> failures) {
    Running pod = kubernetes(deployment);
    if (!KubernetesManifests.POD_IP.equals(pod.env("REGISTRY_CLUSTER_HOST"))) {
      failures.add(deployment.where() + ": REGISTRY_CLUSTER_HOST is not the pod's IP (valueFrom status.podIP)");
    }
    if (!"true".equals(pod.env("REGISTRY_CLUSTER_KUBERNETES_ENABLED"))) {
      failures.add(deployment.where() + ": REGISTRY_CLUSTER_KUBERNETES_ENABLED is not true");
    }
    String dns = String.valueOf(pod.env("REGISTRY_CLUSTER_KUBERNETES_SERVICEDNS"));
    String name = dns.split("\\.")[0];
    if (!dns.startsWith(name + "." + KubernetesManifests.NAMESPACE + ".")) {
      failures.add(deployment.where() + ": REGISTRY_CLUSTER_KUBERNETES_SERVICEDNS " + dns
          + " does not take the pod's namespace from the downward API");
    }
    KubernetesManifests.Resource service = k8s.find("Service", name).orElse(null);
    if (service == null) {
      failures.add(deployment.where() + ": discovery names Service " + name + ", which does not exist");
      return;
    }
    Map<String, Object> spec = Yml.map(service.body().get("spec"));
    if (!"None".equals(spec.get("clusterIP")) || !Boolean.TRUE.equals(spec.get("publishNotReadyAddresses"))) {
      failures.add(service.where() + ": discovery needs clusterIP: None and publishNotReadyAddresses: true");
    }
    if (!KubernetesManifests.selects(Yml.map(spec.get("selector")), deployment)) {
      failures.add(service.where() + ": does not select " + deployment.name() + ", which discovers through it");
    }
    int port = pod.config().clusterPort();
    if (Yml.list(spec.get("ports")).stream().noneMatch(p -> String.valueOf(Yml.get(p, "port")).equals("" + port))) {
      failures.add(service.where() + ": offers no port " + port + " (cluster.port of " + deployment.name() + ")");
    }
  }

  /**
   * In both Kubernetes variants every file a Berth pod writes (the storage root on the file system, the issuer's data,
   * the notification queues) is on a writable volume, every file it reads (users, signing key and certificate, the
   * gateways' rootcertbundle) on a volume, and the gateways trust the very file the issuer signs with.
   */
  @Test
  void kubernetesPodsKeepTheirFilesOnVolumesAndGatewaysTrustTheIssuersCertificate() {
    List<String> failures = new ArrayList<>();
    for (KubernetesManifests k8s : deploy.kubernetesVariants()) {
      Set<KubernetesManifests.VolumeFile> issued = new HashSet<>();
      List<KubernetesManifests.Resource> deployments = k8s.ofKind("Deployment");
      for (KubernetesManifests.Resource deployment : deployments) {
        Running pod = kubernetes(deployment);
        RegistryConfig config = pod.config().parsed();
        List<Path> writes = new ArrayList<>();
        List<Path> reads = new ArrayList<>();
        if (pod.serve().names("auth") && config.authServer().enabled()) {
          writes.add(config.authServer().dataDirectory());
          reads.add(config.authServer().usersFile());
          reads.add(config.authServer().keyFile());
          reads.add(config.authServer().certificateFile());
          Path certificate = config.authServer().certificateFile() != null ? config.authServer().certificateFile()
              : config.authServer().dataDirectory().resolve("cert.pem");
          issued.add(readable(deployment, certificate));
        }
        if (pod.serve().names("notification")) {
          writes.add(config.notifications().queue().directory());
        }
        if ((pod.serve().names("blob") || pod.serve().names("manifest")) && config.storage().s3() == null) {
          writes.add(config.storage().rootDirectory());
        }
        if (pod.serve().names("gateway") && config.auth() instanceof AuthConfig.Token token) {
          reads.add(token.rootCertBundle());
        }
        for (Path file : writes) {
          KubernetesManifests.VolumeFile onVolume = KubernetesManifests.volumeFile(deployment, inPod(file));
          if (onVolume == null || !onVolume.writable()) {
            failures.add(deployment.where() + ": writes " + inPod(file) + ", which is on no writable volume ("
                + onVolume + ")");
          }
        }
        reads.stream().filter(file -> file != null)
            .filter(file -> KubernetesManifests.volumeFile(deployment, inPod(file)) == null)
            .forEach(file -> failures.add(deployment.where() + ": reads " + inPod(file) + ", which is on no volume"));
      }
      for (KubernetesManifests.Resource deployment : deployments) {
        RegistryConfig config = kubernetes(deployment).config().parsed();
        if (kubernetes(deployment).serve().names("gateway") && config.auth() instanceof AuthConfig.Token token) {
          KubernetesManifests.VolumeFile trusted = readable(deployment, token.rootCertBundle());
          if (trusted == null || !issued.equals(Set.of(trusted))) {
            failures.add(deployment.where() + ": trusts " + trusted + ", but the issuers sign with " + issued);
          }
        }
      }
    }
    assertNone("files of the Kubernetes pods", failures);
  }

  /** The file as the pod reads it, whether it may write there or not. */
  private static KubernetesManifests.VolumeFile readable(KubernetesManifests.Resource deployment, Path file) {
    KubernetesManifests.VolumeFile found = KubernetesManifests.volumeFile(deployment, inPod(file));
    return found == null ? null : new KubernetesManifests.VolumeFile(found.origin(), found.path(), false);
  }

  /** A path of the configuration as the container sees it: relative ones from the image's working directory. */
  private static String inPod(Path file) {
    return Path.of(deploy.image.workdir(deploy.image.finalStage())).resolve(file).normalize().toString();
  }

  /**
   * deploy/k8s-s3 shares only the bucket (reached with credentials from a Secret) and the token signing Secret: no
   * ReadWriteMany claim, no claim two pods write, no gateway that can read the signing key, and the Services and
   * the Ingress of deploy/k8s unchanged.
   */
  @Test
  void kubernetesOnS3SharesOnlyTheBucketAndTheSigningSecret() {
    KubernetesManifests k8s = deploy.kubernetesS3;
    List<String> failures = new ArrayList<>();
    for (KubernetesManifests.Resource claim : k8s.ofKind("PersistentVolumeClaim")) {
      List<String> modes = Yml.strings(Yml.get(claim.body(), "spec", "accessModes"));
      if (!modes.equals(List.of("ReadWriteOnce"))) {
        failures.add(claim.where() + ": accessModes " + modes + "; on S3 no pod shares a volume");
      }
      List<KubernetesManifests.Resource> users = k8s.ofKind("Deployment").stream()
          .filter(d -> Yml.list(KubernetesManifests.podSpec(d).get("volumes")).stream()
              .anyMatch(v -> claim.name().equals(Yml.text(Yml.get(v, "persistentVolumeClaim", "claimName")))))
          .toList();
      for (KubernetesManifests.Resource user : users) {
        Object replicas = Yml.get(user.body(), "spec", "replicas");
        if (users.size() > 1 || !"1".equals(String.valueOf(replicas))
            || !"Recreate".equals(Yml.text(Yml.get(user.body(), "spec", "strategy", "type")))) {
          failures.add(claim.where() + " is mounted by " + user.where() + " (replicas " + replicas + ", strategy "
              + Yml.get(user.body(), "spec", "strategy") + "): a ReadWriteOnce claim needs one pod at a time, "
              + "replicas 1 and strategy Recreate, and no other Deployment");
        }
      }
    }
    List<KubernetesManifests.Resource> deployments = k8s.ofKind("Deployment");
    Set<Path> signingKeys = new HashSet<>();
    for (KubernetesManifests.Resource deployment : deployments) {
      Running pod = kubernetes(deployment);
      if (pod.config().parsed().storage().s3() == null) {
        failures.add(deployment.where() + ": not on storage.s3");
      }
      for (String variable : List.of("REGISTRY_STORAGE_S3_ACCESSKEY", "REGISTRY_STORAGE_S3_SECRETKEY")) {
        boolean fromSecret = Yml.list(KubernetesManifests.berthContainer(deployment).get("env")).stream()
            .anyMatch(e -> variable.equals(Yml.text(Yml.get(e, "name")))
                && Yml.get(e, "valueFrom", "secretKeyRef", "name") != null);
        if (!fromSecret) {
          failures.add(deployment.where() + ": " + variable + " does not come from a Secret (secretKeyRef)");
        }
      }
      if (pod.serve().names("auth") && pod.config().parsed().authServer().keyFile() == null) {
        failures.add(deployment.where() + ": the issuer generates its own key (no authserver.signing.key), which no"
            + " other issuer and no gateway sees on S3");
      } else if (pod.serve().names("auth")) {
        signingKeys.add(pod.config().parsed().authServer().keyFile());
      }
    }
    for (KubernetesManifests.Resource deployment : deployments) {
      if (kubernetes(deployment).serve().names("gateway")) {
        signingKeys.stream().filter(key -> KubernetesManifests.volumeFile(deployment, inPod(key)) != null)
            .forEach(key -> failures.add(deployment.where() + ": can read the token signing key " + key));
      }
    }
    for (String kind : List.of("Service", "Ingress")) {
      Set<String> names = new TreeSet<>();
      deploy.kubernetes.ofKind(kind).forEach(r -> names.add(r.name()));
      k8s.ofKind(kind).forEach(r -> names.add(r.name()));
      for (String name : names) {
        Object filesystem = deploy.kubernetes.find(kind, name).map(KubernetesManifests.Resource::body).orElse(null);
        Object s3 = k8s.find(kind, name).map(KubernetesManifests.Resource::body).orElse(null);
        if (!Objects.equals(filesystem, s3)) {
          failures.add(kind + "/" + name + " differs between deploy/k8s and deploy/k8s-s3 (or is in one only)");
        }
      }
    }
    assertNone("deploy/k8s-s3 on S3", failures);
  }

  /**
   * The {@code REGISTRY_*} settings that run a Deployment's configuration here: storage in {@code root}, or on S3 in
   * a bucket of the tests' S3 server with the notification queues in {@code root} (on S3 they would be in this JVM's
   * working directory).
   */
  private static Map<String, String> storage(KubernetesManifests k8s, Path root) {
    if (k8s != deploy.kubernetesS3) {
      return Map.of("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString());
    }
    Map<String, String> environment = s3.registryEnvironment(s3.newBucket());
    environment.put("REGISTRY_NOTIFICATIONS_QUEUE_DIRECTORY", root.resolve("notifications").toString());
    return environment;
  }

  /**
   * The gateway's probes answer 200 on a registry running its configuration, in each variant. On the file system the
   * registry runs every service, and its issuer generates the signing key; on S3 the issuer's data would be in this
   * JVM's working directory, so the registry runs without it and the gateway trusts the certificate generated before.
   */
  @Test
  void gatewayProbePathsAnswerOkOnARegistryRunningTheKubernetesConfig() throws Exception {
    Path root = scratch.resolve("probe-root");
    Path certificate = root.resolve("auth/cert.pem");
    for (KubernetesManifests k8s : deploy.kubernetesVariants()) {
      Map<String, String> environment = new HashMap<>(storage(k8s, root));
      environment.putAll(Map.of(
          "REGISTRY_HTTP_ADDR", "127.0.0.1:0",
          "REGISTRY_AUTHSERVER_ADDR", "127.0.0.1:0",
          "REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE", certificate.toString(),
          "REGISTRY_HTTP_DRAINTIMEOUT", "1s"));
      if (k8s == deploy.kubernetesS3) {
        environment.put("REGISTRY_CLUSTER_SERVICES", "gateway,blob,manifest");
      }
      probeGateway(k8s, environment);
    }
  }

  private static void probeGateway(KubernetesManifests k8s, Map<String, String> environment) throws Exception {
    KubernetesManifests.Resource gateway = k8s.ofKind("Deployment").stream()
        .filter(d -> kubernetes(d).serve().services().contains("gateway")).findFirst().orElseThrow();
    Map<String, Object> container = KubernetesManifests.berthContainer(gateway);
    List<String> paths = PROBES.stream().map(kind -> Yml.text(Yml.get(container, kind, "httpGet", "path")))
        .filter(path -> path != null).distinct().toList();
    assertFalse(paths.isEmpty(), gateway.where() + ": no httpGet probe");
    Vertx registryVertx = Vertx.vertx();
    RegistryConfig config = ConfigLoader.load(registryVertx, kubernetes(gateway).container().configFile().toString(),
        environment).await(20, TimeUnit.SECONDS);
    EmbeddedRegistry registry = EmbeddedRegistry.start(registryVertx, config).await(30, TimeUnit.SECONDS);
    try {
      WebClient http = WebClient.create(registryVertx);
      for (String path : paths) {
        try {
          Eventually.await(registryVertx,
              () -> http.get(registry.port(), "127.0.0.1", path).send().map(r -> r.statusCode()), s -> s == 200);
        } catch (AssertionError e) {
          throw new AssertionError(gateway.where() + " probes GET " + path + ", which never answered 200 on a "
              + "registry running its configuration: " + e.getMessage(), e);
        }
      }
    } finally {
      registry.stop(30_000);
    }
  }

  /**
   * A process without a gateway (blob, manifest, notification) answers its Deployment's HTTP probes on the debug
   * server, run with its configuration beside a blob service on one local bus, as the cluster would put it.
   */
  @Test
  void probesOfProcessesWithoutAGatewayAnswerOkOnTheDebugServer() throws Exception {
    for (KubernetesManifests k8s : deploy.kubernetesVariants()) {
      probeProcessesWithoutAGateway(k8s);
    }
  }

  private static void probeProcessesWithoutAGateway(KubernetesManifests k8s) throws Exception {
    List<KubernetesManifests.Resource> probed = k8s.ofKind("Deployment").stream()
        .filter(d -> !kubernetes(d).serve().names("gateway"))
        .filter(d -> PROBES.stream().anyMatch(kind -> Yml.get(KubernetesManifests.berthContainer(d), kind, "httpGet")
            != null))
        .toList();
    assertEquals(Set.of("berth-blob", "berth-manifest", "berth-notification"),
        probed.stream().map(KubernetesManifests.Resource::name).collect(Collectors.toSet()), k8s.directory.toString());
    for (KubernetesManifests.Resource deployment : probed) {
      Running pod = kubernetes(deployment);
      Map<String, String> environment = new HashMap<>(storage(k8s,
          scratch.resolve("probe-" + k8s.directory.getFileName() + "-" + deployment.name())));
      environment.putAll(Map.of(
          "REGISTRY_HTTP_ADDR", "127.0.0.1:0",
          "REGISTRY_HTTP_DEBUG_ADDR", "127.0.0.1:0",
          "REGISTRY_HTTP_DRAINTIMEOUT", "1s"));
      Vertx processVertx = Vertx.vertx();
      String configFile = pod.container().configFile().toString();
      Map<String, String> blobOnly = new HashMap<>(environment);
      blobOnly.put("REGISTRY_HTTP_DEBUG_ADDR", "");
      blobOnly.put("REGISTRY_CLUSTER_SERVICES", "blob");
      Map<String, String> own = new HashMap<>(environment);
      own.put("REGISTRY_CLUSTER_SERVICES", String.join(",", pod.serve().services()));
      try {
        if (!pod.serve().names("blob")) {
          EmbeddedRegistry.start(processVertx, ConfigLoader.load(processVertx, configFile, blobOnly)
              .await(20, TimeUnit.SECONDS)).await(30, TimeUnit.SECONDS);
        }
        EmbeddedRegistry process = EmbeddedRegistry.start(processVertx, ConfigLoader.load(processVertx, configFile,
            own).await(20, TimeUnit.SECONDS)).await(30, TimeUnit.SECONDS);
        assertEquals(-1, process.port(), deployment.name() + " runs no gateway");
        WebClient http = WebClient.create(processVertx);
        for (String kind : PROBES) {
          String path = Yml.text(Yml.get(KubernetesManifests.berthContainer(deployment), kind, "httpGet", "path"));
          if (path != null) {
            int status = http.get(process.debugPort(), "127.0.0.1", path).send().await(20, TimeUnit.SECONDS)
                .statusCode();
            assertEquals(200, status, deployment.where() + " " + kind + " GET " + path);
          }
        }
      } finally {
        processVertx.close().await(30, TimeUnit.SECONDS);
      }
    }
  }
}
