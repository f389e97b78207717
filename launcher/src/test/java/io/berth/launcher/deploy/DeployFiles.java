package io.berth.launcher.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The deploy files read once: the image, the compose files, the Kubernetes manifests, and their containers. */
final class DeployFiles {
  static final Path DEPLOY = Repo.file("deploy");
  static final Path CONFIGS = DEPLOY.resolve("config");
  static final Path CLUSTER_CONFIG = CONFIGS.resolve("cluster.yml");

  final Dockerfile image = Dockerfile.read(DEPLOY.resolve("Dockerfile"));
  final ComposeFile allInOne = ComposeFile.read(DEPLOY.resolve("compose.yaml"));
  final ComposeFile cluster = ComposeFile.read(DEPLOY.resolve("compose.cluster.yaml"));
  final ComposeFile s3 = ComposeFile.read(DEPLOY.resolve("compose.s3.yaml"));
  final KubernetesManifests kubernetes = KubernetesManifests.read(DEPLOY.resolve("k8s"));
  final KubernetesManifests kubernetesS3 = KubernetesManifests.read(DEPLOY.resolve("k8s-s3"));
  final ImageScripts scripts;

  /** {@code scratch}: where the image's scripts are run from. */
  DeployFiles(Path scratch) {
    scripts = new ImageScripts(image, scratch);
  }

  List<ComposeFile> composeFiles() {
    return List.of(allInOne, cluster, s3);
  }

  /** The compose files of the scaled-out topology: the shared volume's and S3's. */
  List<ComposeFile> clusterComposeFiles() {
    return List.of(cluster, s3);
  }

  /** The Kubernetes manifests: on a ReadWriteMany volume, and on S3. */
  List<KubernetesManifests> kubernetesVariants() {
    return List.of(kubernetes, kubernetesS3);
  }

  /** The image run with no arguments (ENTRYPOINT + CMD, the image's ENV, the config it copies). */
  BerthContainer imageDefaults() {
    String where = Repo.name(image.file) + " (run without arguments)";
    List<String> arguments = BerthContainer.launcherArguments(scripts, where, null, image.environment());
    String configPath = ComposeFile.configPath(where, arguments, image.environment());
    return new BerthContainer(where, arguments, image.environment(),
        configPath == null ? null : ComposeFile.imageFile(image, configPath, where));
  }

  /**
   * Every container that runs Berth: the image's defaults, each compose service that builds the image, and the Berth
   * container of each Deployment (ConfigMaps written to {@code scratch}). A container that cannot even be resolved
   * (an ENTRYPOINT override, an unset variable) is added to {@code failures} instead.
   */
  List<BerthContainer> containers(Path scratch, List<String> failures) {
    List<BerthContainer> containers = new ArrayList<>();
    add(containers, failures, this::imageDefaults);
    for (ComposeFile compose : composeFiles()) {
      for (String service : compose.berthServices(image)) {
        add(containers, failures, () -> compose.container(service, image, scripts));
      }
    }
    for (KubernetesManifests manifests : kubernetesVariants()) {
      for (KubernetesManifests.Resource deployment : manifests.ofKind("Deployment")) {
        add(containers, failures, () -> manifests.container(deployment, image, scripts, scratch));
      }
    }
    return containers;
  }

  /** Fails with every problem found, one per line, so one run shows all of them. */
  static void assertNone(String what, List<String> failures) {
    if (!failures.isEmpty()) {
      throw new AssertionError(what + ":\n  " + String.join("\n  ", failures));
    }
  }

  private static void add(List<BerthContainer> containers, List<String> failures, Supplier<BerthContainer> resolve) {
    try {
      containers.add(resolve.get());
    } catch (AssertionError e) {
      failures.add(e.getMessage());
    }
  }
}
