package io.berth.launcher.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The objects of a directory of Kubernetes manifests (deploy/k8s/, deploy/k8s-s3/), and Berth's containers in its
 * Deployments resolved as Kubernetes would run them.
 */
final class KubernetesManifests {
  /** What the downward API would give a pod: values the config must accept. */
  static final String POD_IP = "10.244.1.17";
  static final String NAMESPACE = "registry-ns";
  static final String CONTAINER = "berth";
  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  record Resource(Path file, Map<String, Object> body) {
    String kind() {
      return Yml.text(body.get("kind"));
    }

    String name() {
      return Yml.text(Yml.get(body, "metadata", "name"));
    }

    String where() {
      return Repo.name(file) + " " + kind() + "/" + name();
    }
  }

  /**
   * A file as a pod sees it through its volumes: the volume's origin ({@code claim x}, {@code secret x},
   * {@code configMap x}, or a volume of the pod's own such as an emptyDir), the file's path inside it (for a Secret or
   * ConfigMap: its key), and whether the pod may write there.
   */
  record VolumeFile(String origin, String path, boolean writable) {
    boolean ownedByThePod() {
      return origin.startsWith("pod ");
    }
  }

  final Path directory;
  final List<Resource> resources;

  private KubernetesManifests(Path directory, List<Resource> resources) {
    this.directory = directory;
    this.resources = resources;
  }

  static KubernetesManifests read(Path directory) {
    List<Resource> resources = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        Yml.documents(file).forEach(document -> resources.add(new Resource(file, Yml.map(document))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new KubernetesManifests(directory, resources);
  }

  List<Resource> ofKind(String kind) {
    return resources.stream().filter(resource -> kind.equals(resource.kind())).toList();
  }

  Optional<Resource> find(String kind, String name) {
    return ofKind(kind).stream().filter(resource -> name.equals(resource.name())).findFirst();
  }

  static Map<String, Object> podSpec(Resource deployment) {
    return Yml.map(Yml.get(deployment.body(), "spec", "template", "spec"));
  }

  static Map<String, Object> podLabels(Resource deployment) {
    return Yml.map(Yml.get(deployment.body(), "spec", "template", "metadata", "labels"));
  }

  /** Whether the Service selector picks the Deployment's pods. */
  static boolean selects(Map<String, Object> selector, Resource deployment) {
    Map<String, Object> labels = podLabels(deployment);
    return !selector.isEmpty() && selector.entrySet().stream()
        .allMatch(label -> String.valueOf(label.getValue()).equals(Yml.text(labels.get(label.getKey()))));
  }

  /** The Deployment's container named {@value #CONTAINER}, the one that runs Berth. */
  static Map<String, Object> berthContainer(Resource deployment) {
    return Yml.list(podSpec(deployment).get("containers")).stream().map(Yml::map)
        .filter(container -> CONTAINER.equals(container.get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError(deployment.where() + ": no container named " + CONTAINER));
  }

  /** Container ports by name (unnamed ones by their number as text). */
  static Map<String, Integer> containerPorts(Map<String, Object> container) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Object port : Yml.list(container.get("ports"))) {
      int number = ((Number) Yml.get(port, "containerPort")).intValue();
      Object name = Yml.get(port, "name");
      ports.put(name == null ? String.valueOf(number) : String.valueOf(name), number);
    }
    return ports;
  }

  /** A port given as number or as the name of a container port; null when a name matches none. */
  static Integer resolvePort(Map<String, Object> container, Object port) {
    if (port instanceof Number number) {
      return number.intValue();
    }
    return containerPorts(container).get(String.valueOf(port));
  }

  BerthContainer container(Resource deployment, Dockerfile image, ImageScripts scripts, Path scratch) {
    Map<String, Object> container = berthContainer(deployment);
    String where = deployment.where() + " container " + CONTAINER;
    if (container.containsKey("command")) {
      throw new AssertionError(where + ": command replaces the image's ENTRYPOINT; pass arguments in args");
    }
    Object args = container.get("args");
    Map<String, String> environment = new LinkedHashMap<>(image.environment());
    environment.putAll(environment(container, where));
    List<String> arguments = BerthContainer.launcherArguments(scripts, where, args == null ? null : Yml.strings(args),
        environment);
    String configPath = ComposeFile.configPath(where, arguments, environment);
    Path config = configPath == null ? null : configFile(deployment, container, configPath, image, scratch);
    return new BerthContainer(where, arguments, environment, config);
  }

  /** The container's env as the kubelet builds it: downward-API fields, then {@code $(VAR)} of earlier entries. */
  static Map<String, String> environment(Map<String, Object> container, String where) {
    Map<String, String> environment = new LinkedHashMap<>();
    for (Object entry : Yml.list(container.get("env"))) {
      String name = Yml.text(Yml.get(entry, "name"));
      Object value = Yml.get(entry, "value");
      String resolved;
      Object secret = Yml.get(entry, "valueFrom", "secretKeyRef");
      if (value != null) {
        resolved = expand(String.valueOf(value), environment);
      } else if (secret != null) {
        // What an operator puts in the Secret; any text stands for it.
        resolved = "from-secret-" + Yml.text(Yml.get(secret, "name")) + "-" + Yml.text(Yml.get(secret, "key"));
      } else {
        String field = Yml.text(Yml.get(entry, "valueFrom", "fieldRef", "fieldPath"));
        resolved = switch (field == null ? "" : field) {
          case "status.podIP" -> POD_IP;
          case "metadata.namespace" -> NAMESPACE;
          default -> throw new AssertionError(where + " env " + name + ": cannot tell the value of " + entry);
        };
      }
      environment.put(name, resolved);
    }
    return environment;
  }

  /**
   * The file at absolute {@code path} in the Deployment's Berth container, through the volume mounted deepest above it;
   * null when no volume holds it (the image's own file system, or a Secret whose items leave that key out).
   */
  static VolumeFile volumeFile(Resource deployment, String path) {
    Object deepest = null;
    for (Object mount : Yml.list(berthContainer(deployment).get("volumeMounts"))) {
      String mountPath = Yml.text(Yml.get(mount, "mountPath")).replaceFirst("/$", "");
      if ((path.equals(mountPath) || path.startsWith(mountPath + "/")) && (deepest == null
          || mountPath.length() > Yml.text(Yml.get(deepest, "mountPath")).replaceFirst("/$", "").length())) {
        deepest = mount;
      }
    }
    if (deepest == null) {
      return null;
    }
    String mountPath = Yml.text(Yml.get(deepest, "mountPath")).replaceFirst("/$", "");
    String inside = path.substring(mountPath.length()).replaceFirst("^/", "");
    String subPath = Yml.text(Yml.get(deepest, "subPath"));
    String within = subPath == null ? inside : inside.isEmpty() ? subPath : subPath + "/" + inside;
    String name = Yml.text(Yml.get(deepest, "name"));
    boolean readOnly = Boolean.TRUE.equals(Yml.get(deepest, "readOnly"));
    Object volume = Yml.list(podSpec(deployment).get("volumes")).stream()
        .filter(v -> name.equals(Yml.text(Yml.get(v, "name")))).findFirst()
        .orElseThrow(() -> new AssertionError(deployment.where() + ": mounts volume " + name + ", which it lacks"));
    for (String projected : List.of("secret", "configMap")) {
      Object source = Yml.get(volume, projected);
      if (source == null) {
        continue;
      }
      Object sourceName = Yml.get(source, projected.equals("secret") ? "secretName" : "name");
      Object items = Yml.get(source, "items");
      String key = items == null ? within : Yml.list(items).stream()
          .filter(item -> within.equals(Yml.text(Yml.get(item, "path"))))
          .map(item -> Yml.text(Yml.get(item, "key"))).findFirst().orElse(null);
      return key == null ? null : new VolumeFile(projected + " " + sourceName, key, false);
    }
    Object claim = Yml.get(volume, "persistentVolumeClaim", "claimName");
    if (claim != null) {
      return new VolumeFile("claim " + claim, within,
          !readOnly && !Boolean.TRUE.equals(Yml.get(volume, "persistentVolumeClaim", "readOnly")));
    }
    return new VolumeFile("pod " + deployment.name() + " volume " + name, within, !readOnly);
  }

  private static String expand(String value, Map<String, String> defined) {
    Matcher matcher = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement = defined.getOrDefault(matcher.group(1), matcher.group());
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** The source of the config the container reads: a ConfigMap key written to {@code scratch}, or the image's file. */
  private Path configFile(Resource deployment, Map<String, Object> container, String configPath, Dockerfile image,
      Path scratch) {
    for (Object mount : Yml.list(container.get("volumeMounts"))) {
      String mountPath = Yml.text(Yml.get(mount, "mountPath"));
      String subPath = Yml.text(Yml.get(mount, "subPath"));
      String key = subPath != null ? (configPath.equals(mountPath) ? subPath : null)
          : configPath.startsWith(mountPath + "/") ? configPath.substring(mountPath.length() + 1) : null;
      if (key == null) {
        continue;
      }
      String volume = Yml.text(Yml.get(mount, "name"));
      String configMap = Yml.list(podSpec(deployment).get("volumes")).stream()
          .filter(v -> volume.equals(Yml.text(Yml.get(v, "name"))))
          .map(v -> Yml.text(Yml.get(v, "configMap", "name"))).findFirst().orElse(null);
      String where = deployment.where() + ": config " + configPath;
      if (configMap == null) {
        throw new AssertionError(where + " is mounted from volume " + volume + ", which is no ConfigMap");
      }
      Object data = Yml.get(find("ConfigMap", configMap)
          .orElseThrow(() -> new AssertionError(where + ": no ConfigMap " + configMap)).body(), "data", key);
      if (data == null) {
        throw new AssertionError(where + ": ConfigMap " + configMap + " has no key " + key);
      }
      try {
        Path file = scratch.resolve(directory.getFileName() + "-" + deployment.name() + "-" + key);
        Files.writeString(file, String.valueOf(data));
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ComposeFile.imageFile(image, configPath, deployment.where());
  }
}
