package io.berth.launcher.deploy;

import static io.berth.launcher.deploy.DeployFiles.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.config.AuthConfig;
import io.berth.common.config.ConfigException;
import io.berth.common.config.RegistryConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The deploy files (deploy/Dockerfile, the compose files, deploy/k8s/, deploy/config/) checked without a container
 * engine: they parse, their command lines are the launcher's {@code serve} form, every {@code REGISTRY_*} variable
 * they set is a key the configuration parser reads, and the image copies what the build produces.
 */
class DeployFilesTest {
  private static final Pattern FINAL_NAME = Pattern.compile("<finalName>([^<]+)</finalName>");

  @TempDir
  static Path scratch;
  private static Vertx vertx;
  private static DeployFiles deploy;

  @BeforeAll
  static void readDeployFiles() {
    vertx = Vertx.vertx();
    deploy = new DeployFiles(scratch);
  }

  @AfterAll
  static void closeVertx() {
    vertx.close().await();
  }

  @Test
  void everyYamlFileUnderDeployParsesAndKubernetesObjectsNameNoNamespace() throws IOException {
    List<String> failures = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(DeployFiles.DEPLOY)) {
      files = walk.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
    }
    for (Path file : files) {
      try {
        if (Yml.documents(file).isEmpty()) {
          failures.add(Repo.name(file) + ": no YAML document");
        }
      } catch (YAMLException e) {
        failures.add(Repo.name(file) + ": " + e.getMessage().replace('\n', ' '));
      }
    }
    for (KubernetesManifests manifests : deploy.kubernetesVariants()) {
      for (KubernetesManifests.Resource resource : manifests.resources) {
        if (resource.body().get("apiVersion") == null || resource.kind() == null || resource.name() == null) {
          failures.add(Repo.name(resource.file()) + ": a document without apiVersion, kind or metadata.name");
        }
        if (Yml.get(resource.body(), "metadata", "namespace") != null) {
          failures.add(resource.where() + ": metadata.namespace is set; the manifests go into any namespace (-n)");
        }
      }
    }
    assertNone("YAML files under deploy/", failures);
    assertTrue(files.size() >= 9, "expected the compose files, deploy/config and deploy/k8s, found " + files);
  }

  @Test
  void everyConfigFileUnderDeployConfigLoadsWithNothingIgnored() throws Exception {
    List<String> failures = new ArrayList<>();
    List<Path> configs;
    try (Stream<Path> list = Files.list(DeployFiles.CONFIGS)) {
      configs = list.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    }
    for (Path config : configs) {
      try {
        RegistryConfig parsed = EffectiveConfig.load(vertx, config, Map.of()).parsed();
        if (!parsed.ignored().isEmpty()) {
          failures.add(Repo.name(config) + ": keys the parser does not read: " + String.join(", ", parsed.ignored()));
        }
      } catch (ConfigException e) {
        failures.add(Repo.name(config) + ": " + e.getMessage());
      }
    }
    assertNone("configuration files", failures);
    assertEquals(List.of("cluster-s3.yml", "cluster.yml", "config.yml"), configs.stream().map(f -> f.getFileName().toString()).toList());
  }

  @Test
  void kubernetesConfigMapIsAVerbatimCopyOfTheClusterConfig() {
    KubernetesManifests.Resource configMap = deploy.kubernetes.find("ConfigMap", "berth-config")
        .orElseThrow(() -> new AssertionError("deploy/k8s: no ConfigMap berth-config"));
    List<String> expected = Repo.read(DeployFiles.CLUSTER_CONFIG).lines().toList();
    List<String> actual = String.valueOf(Yml.get(configMap.body(), "data", "config.yml")).lines().toList();
    for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
      String want = i < expected.size() ? expected.get(i) : "(end of file)";
      String got = i < actual.size() ? actual.get(i) : "(end of data)";
      assertEquals(want, got, configMap.where() + " data.config.yml differs from deploy/config/cluster.yml at line "
          + (i + 1) + "; copy the file into it");
    }
  }

  @Test
  void everyContainerRunsTheLaunchersServeCommandWithKnownServices() {
    List<String> failures = new ArrayList<>();
    List<BerthContainer> containers = deploy.containers(scratch, failures);
    for (BerthContainer container : containers) {
      try {
        ServeCommand serve = container.serve();
        if (container.configFile() == null) {
          failures.add(container.where() + ": " + container.arguments() + " names no config file");
        } else if (!Files.isRegularFile(container.configFile())) {
          failures.add(container.where() + ": its config " + Repo.name(container.configFile()) + " does not exist");
        }
        boolean clustered = !container.where().startsWith(Repo.name(deploy.image.file))
            && !container.where().startsWith(Repo.name(deploy.allInOne.file));
        if (serve.cluster() != clustered) {
          failures.add(container.where() + ": " + container.arguments() + (clustered
              ? " lacks --cluster, in a scaled-out topology" : " has --cluster, in the all-in-one"));
        }
      } catch (IllegalArgumentException e) {
        failures.add(container.where() + ": " + container.arguments() + ": " + e.getMessage());
      }
    }
    assertNone("launcher command lines", failures);
    assertEquals(List.of(1, 1, 8, 8, 5, 5), List.of(count(containers, deploy.image.file), count(containers,
        deploy.allInOne.file), count(containers, deploy.cluster.file), count(containers, deploy.s3.file),
        count(containers, deploy.kubernetes.directory), count(containers, deploy.kubernetesS3.directory)),
        "Berth containers: image, compose.yaml, compose.cluster.yaml, compose.s3.yaml, k8s and k8s-s3 Deployments");
    for (String topology : List.of(Repo.name(deploy.cluster.file), Repo.name(deploy.s3.file), "deploy/k8s/",
        "deploy/k8s-s3/")) {
      Set<String> run = new TreeSet<>();
      containers.stream().filter(c -> c.where().startsWith(topology)).forEach(c -> run.addAll(c.serve().services()));
      assertEquals(new TreeSet<>(ServeCommand.KNOWN_SERVICES), run, topology + " runs every service somewhere");
    }
  }

  private static int count(List<BerthContainer> containers, Path origin) {
    String prefix = Repo.name(origin) + (Files.isDirectory(origin) ? "/" : " ");
    return (int) containers.stream().filter(c -> c.where().startsWith(prefix)).count();
  }

  @Test
  void everyRegistryVariableOfAContainerIsAKeyTheConfigParserReads() throws Exception {
    List<String> failures = new ArrayList<>();
    for (BerthContainer container : deploy.containers(scratch, failures)) {
      try {
        EffectiveConfig config = EffectiveConfig.load(vertx, container.configFile(), container.environment());
        if (!config.parsed().ignored().isEmpty()) {
          failures.add(container.where() + ": keys the parser does not read: "
              + String.join(", ", config.ignoredWithOrigin(container.environment())));
        }
      } catch (ConfigException e) {
        failures.add(container.where() + ": the configuration is refused: " + e.getMessage());
      }
    }
    assertNone("REGISTRY_* variables and config files of the containers", failures);
  }

  @Test
  void servicesNamedExplicitlyHaveTheConfigurationTheyNeed() throws Exception {
    List<String> failures = new ArrayList<>();
    for (BerthContainer container : deploy.containers(scratch, failures)) {
      ServeCommand serve = container.serve();
      RegistryConfig config;
      try {
        config = EffectiveConfig.load(vertx, container.configFile(), container.environment()).parsed();
      } catch (ConfigException e) {
        // A refused configuration is the previous test's failure; this one checks what a valid one holds.
        continue;
      }
      if (serve.services().contains("notification") && config.notifications().enabledEndpoints().isEmpty()) {
        failures.add(container.where() + ": runs notification but notifications.endpoints has no enabled endpoint");
      }
      if (serve.services().contains("auth") && !config.authServer().enabled()) {
        failures.add(container.where() + ": runs auth but has no authserver section");
      }
      if (serve.names("gateway") && config.auth() instanceof AuthConfig.Token token && config.authServer().enabled()) {
        Path issued = config.authServer().certificateFile() != null ? config.authServer().certificateFile()
            : config.authServer().dataDirectory().resolve("cert.pem");
        if (!issued.equals(token.rootCertBundle())) {
          failures.add(container.where() + ": auth.token.rootcertbundle " + token.rootCertBundle()
              + " is not the issuer's certificate " + issued);
        }
        if (!token.issuer().equals(config.authServer().issuer())
            || !token.service().equals(config.authServer().service())) {
          failures.add(container.where() + ": auth.token issuer/service " + token.issuer() + "/" + token.service()
              + " differ from authserver's " + config.authServer().issuer() + "/" + config.authServer().service());
        }
      }
    }
    assertNone("services and their configuration", failures);
  }

  @Test
  void composeBuildsTheImageFromTheRepositoryRootAndMountsFilesThatExist() {
    List<String> failures = new ArrayList<>();
    for (ComposeFile compose : deploy.composeFiles()) {
      for (String service : compose.services().keySet()) {
        compose.bindMounts(service).forEach((target, source) -> {
          if (!Files.exists(source)) {
            // Docker would create an empty directory in its place and mount that.
            failures.add(compose.where(service) + ".volumes mounts " + Repo.name(source) + " at " + target
                + ", which does not exist");
          }
        });
      }
      List<String> services = compose.berthServices(deploy.image);
      if (services.isEmpty()) {
        failures.add(Repo.name(compose.file) + ": no service builds deploy/Dockerfile");
      }
      for (String service : services) {
        Path context = compose.buildContext(Yml.text(Yml.get(compose.service(service), "build", "context")));
        if (!context.equals(Repo.ROOT)) {
          failures.add(compose.where(service) + ".build.context is " + context + ", not the repository root "
              + "that deploy/Dockerfile's COPY lines are relative to");
        }
      }
    }
    assertNone("compose builds", failures);
  }

  @Test
  void dockerfileCopiesSourcesThatExistAndRunsTheJarTheLauncherBuilds() {
    Dockerfile image = deploy.image;
    DockerIgnore ignored = DockerIgnore.read(Repo.ROOT);
    List<String> failures = new ArrayList<>();
    Set<String> copiedFromContext = new TreeSet<>();
    Dockerfile.Copy jarCopy = null;
    String jar = launcherJar();
    for (Dockerfile.Copy copy : image.copies()) {
      if (copy.from() == null) {
        for (String source : copy.sources()) {
          copiedFromContext.add(source.replaceAll("/$", ""));
          if (!Files.exists(Repo.ROOT.resolve(source))) {
            failures.add(image.where(copy.line()) + ": COPY source " + source + " does not exist in the repository");
          } else if (ignored.excludes(source)) {
            failures.add(image.where(copy.line()) + ": COPY source " + source + " is excluded by .dockerignore");
          }
        }
      } else if (copy.stage() == image.finalStage()) {
        String expected = stagePath(image, copy.from(), jar);
        if (!copy.sources().equals(List.of(expected))) {
          failures.add(image.where(copy.line()) + ": copies " + copy.sources() + " from stage " + copy.from()
              + ", but the launcher module's shade plugin writes " + expected);
        }
        jarCopy = copy;
      }
    }
    List<String> needed = new ArrayList<>(List.of("pom.xml"));
    needed.addAll(Repo.modules());
    for (String module : needed) {
      if (!copiedFromContext.contains(module)) {
        failures.add(Repo.name(image.file) + ": the build stage does not COPY " + module + ", which the build needs");
      }
    }
    if (image.all("RUN").stream().noneMatch(run -> run.stage() < image.finalStage()
        && run.arguments().contains("mvn") && run.arguments().contains("package"))) {
      failures.add(Repo.name(image.file) + ": no build stage runs mvn … package");
    }
    String jarPath = deploy.scripts.run(null, image.environment(), deploy.scripts.bin()).jar();
    if (jarCopy == null) {
      failures.add(Repo.name(image.file) + ": the final stage copies no jar out of the build stage");
    } else {
      String destination = jarCopy.destination().endsWith("/")
          ? jarCopy.destination() + Path.of(jar).getFileName() : jarCopy.destination();
      if (!destination.equals(jarPath)) {
        failures.add(Repo.name(deploy.scripts.repositoryFile(ImageScripts.REGISTRY)) + ": runs -jar " + jarPath
            + " but line " + jarCopy.line() + " copies the jar to " + destination);
      }
    }
    checkRuntime(image, failures);
    assertNone("deploy/Dockerfile", failures);
  }

  /** The final stage: Java 17, exec-form commands (ImageTest checks what they run). */
  private static void checkRuntime(Dockerfile image, List<String> failures) {
    if (!image.baseImage(image.finalStage()).startsWith("eclipse-temurin:17")) {
      failures.add(Repo.name(image.file) + ": the runtime is " + image.baseImage(image.finalStage())
          + ", not eclipse-temurin:17-jre");
    }
    for (String keyword : List.of("ENTRYPOINT", "CMD")) {
      try {
        image.execForm(image.last(keyword));
      } catch (AssertionError e) {
        failures.add(e.getMessage());
      }
    }
  }

  private static String stagePath(Dockerfile image, String stage, String relative) {
    for (int i = 0; i < image.finalStage(); i++) {
      if (image.stageName(i).equals(stage)) {
        String workdir = image.workdir(i);
        return workdir + (workdir.endsWith("/") ? "" : "/") + relative;
      }
    }
    throw new AssertionError(Repo.name(image.file) + ": COPY --from=" + stage + " names no earlier stage");
  }

  /** Where {@code mvn package} leaves the launcher's shaded jar: target/ and the shade plugin's finalName. */
  private static String launcherJar() {
    String pom = Repo.read(Repo.file("launcher/pom.xml"));
    Matcher finalName = FINAL_NAME.matcher(pom);
    assertTrue(finalName.find(), "launcher/pom.xml: no <finalName> in the shade configuration");
    assertTrue(!pom.contains("<directory>"), "launcher/pom.xml overrides the build directory; adjust this test");
    return "launcher/target/" + finalName.group(1) + ".jar";
  }

  /** The check above can fail: the form refuses what DESIGN §4e's launcher refuses. */
  @Test
  void serveCommandFormRefusesWhatTheLauncherWouldRefuse() {
    Map<List<String>, String> refused = Map.of(
        List.of("serve", "--services", "blob"), "--services is only accepted after --cluster",
        List.of("serve", "--cluster", "--services", "blob,cache"), "unknown service \"cache\"",
        List.of("serve", "--services", "blob", "--cluster"), "--services is only accepted after --cluster",
        List.of("serve", "--cluster", "a.yml", "b.yml"), "unexpected arguments after the config file",
        List.of("serve", "--cluster", "--services"), "--services needs a comma-separated list",
        List.of("garbage-collect"), "expected the serve command first");
    refused.forEach((arguments, reason) -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServeCommand.parse(arguments),
          arguments.toString());
      assertTrue(e.getMessage().contains(reason), arguments + ": " + e.getMessage());
    });
    assertEquals(new ServeCommand(true, List.of("gateway", "auth"), "/etc/c.yml"),
        ServeCommand.parse(List.of("serve", "--cluster", "--services", "gateway,auth", "/etc/c.yml")));
  }
}
