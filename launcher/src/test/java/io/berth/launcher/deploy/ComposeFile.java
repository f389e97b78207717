package io.berth.launcher.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A compose file: its services, with Berth's containers resolved against the image they build. */
final class ComposeFile {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

  final Path file;
  final Map<String, Object> root;

  private ComposeFile(Path file, Map<String, Object> root) {
    this.file = file;
    this.root = root;
  }

  static ComposeFile read(Path file) {
    return new ComposeFile(file, Yml.map(Yml.documents(file).get(0)));
  }

  String where(String service) {
    return Repo.name(file) + " services." + service;
  }

  Map<String, Object> services() {
    return Yml.map(root.get("services"));
  }

  Map<String, Object> service(String name) {
    return Yml.map(services().get(name));
  }

  /** The Dockerfile a service builds (its build context plus {@code build.dockerfile}), or null. */
  Path builtDockerfile(String service) {
    Object build = service(service).get("build");
    if (build == null) {
      return null;
    }
    String context = build instanceof String text ? text : Yml.text(Yml.get(build, "context"));
    String dockerfile = build instanceof String ? null : Yml.text(Yml.get(build, "dockerfile"));
    return buildContext(context).resolve(dockerfile == null ? "Dockerfile" : dockerfile).normalize();
  }

  Path buildContext(String context) {
    return file.getParent().resolve(context == null ? "." : context).normalize();
  }

  /** Services that build the image; each is a Berth container. */
  List<String> berthServices(Dockerfile image) {
    return services().keySet().stream()
        .filter(name -> image.file.toAbsolutePath().normalize().equals(builtDockerfile(name)))
        .toList();
  }

  BerthContainer container(String service, Dockerfile image, ImageScripts scripts) {
    Map<String, Object> spec = service(service);
    if (spec.containsKey("entrypoint")) {
      throw new AssertionError(where(service) + ".entrypoint replaces the image's ENTRYPOINT; pass arguments in command");
    }
    Object command = spec.get("command");
    if (command instanceof String) {
      throw new AssertionError(where(service) + ".command: use the list form, a string is split by compose's rules");
    }
    Map<String, String> environment = new LinkedHashMap<>(image.environment());
    environment.putAll(environment(service));
    List<String> arguments = BerthContainer.launcherArguments(scripts, where(service),
        command == null ? null : Yml.strings(command), environment);
    String configPath = configPath(where(service), arguments, environment);
    return new BerthContainer(where(service), arguments, environment, configFile(service, configPath, image));
  }

  /** The config path the launcher will read: the command's, else REGISTRY_CONFIGURATION_PATH, else none. */
  static String configPath(String where, List<String> arguments, Map<String, String> environment) {
    String path;
    try {
      path = ServeCommand.parse(arguments).configPath();
    } catch (IllegalArgumentException e) {
      throw new AssertionError(where + ": " + arguments + ": " + e.getMessage());
    }
    return path != null ? path : environment.get("REGISTRY_CONFIGURATION_PATH");
  }

  /** The service's environment with compose's {@code ${VAR:-default}} resolved to its default. */
  Map<String, String> environment(String service) {
    Object environment = service(service).get("environment");
    Map<String, String> resolved = new LinkedHashMap<>();
    if (environment instanceof List<?> list) {
      for (Object entry : list) {
        String[] pair = String.valueOf(entry).split("=", 2);
        resolved.put(pair[0], pair.length > 1 ? substitute(service, pair[0], pair[1]) : "");
      }
    } else {
      Yml.map(environment).forEach((name, value) -> resolved.put(name, substitute(service, name, Yml.text(value))));
    }
    return resolved;
  }

  private String substitute(String service, String name, String value) {
    if (value == null) {
      return "";
    }
    Matcher matcher = VARIABLE.matcher(value.replace("$$", "\u0000"));
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      if (matcher.group(2) == null) {
        throw new AssertionError(where(service) + ".environment." + name + " needs ${" + matcher.group(1)
            + "} set; give it a default (${" + matcher.group(1) + ":-…}) so the file works as it is");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(2)));
    }
    matcher.appendTail(out);
    return out.toString().replace("\u0000", "$");
  }

  /** Bind mounts of the service: container path → repository file. */
  Map<String, Path> bindMounts(String service) {
    Map<String, Path> mounts = new LinkedHashMap<>();
    for (Object volume : Yml.list(service(service).get("volumes"))) {
      String source;
      String target;
      if (volume instanceof String shortForm) {
        String[] parts = shortForm.split(":");
        source = parts[0];
        target = parts.length > 1 ? parts[1] : parts[0];
      } else {
        source = Yml.text(Yml.get(volume, "source"));
        target = Yml.text(Yml.get(volume, "target"));
      }
      if (source != null && (source.startsWith(".") || source.startsWith("/"))) {
        mounts.put(target, file.getParent().resolve(source).normalize());
      }
    }
    return mounts;
  }

  private Path configFile(String service, String configPath, Dockerfile image) {
    if (configPath == null) {
      return null;
    }
    for (Map.Entry<String, Path> mount : bindMounts(service).entrySet()) {
      if (configPath.equals(mount.getKey())) {
        return mount.getValue();
      }
      if (configPath.startsWith(mount.getKey() + "/")) {
        return mount.getValue().resolve(configPath.substring(mount.getKey().length() + 1));
      }
    }
    return imageFile(image, configPath, where(service));
  }

  /** The repository file the image's COPY puts at {@code path}. */
  static Path imageFile(Dockerfile image, String path, String where) {
    for (Dockerfile.Copy copy : image.copies()) {
      if (copy.from() == null && copy.stage() == image.finalStage() && copy.sources().size() == 1
          && copy.destination().equals(path)) {
        return Repo.ROOT.resolve(copy.sources().get(0));
      }
    }
    throw new AssertionError(where + ": config " + path + " is neither mounted nor copied into the image");
  }

  /** The container ports of {@code ports:} entries ({@code "5000:5000"}, {@code "127.0.0.1:5000:5000/tcp"}). */
  List<Integer> publishedContainerPorts(String service) {
    List<Integer> ports = new ArrayList<>();
    for (Object entry : Yml.list(service(service).get("ports"))) {
      if (entry instanceof Map<?, ?> longForm) {
        ports.add(Integer.parseInt(String.valueOf(longForm.get("target"))));
        continue;
      }
      String text = String.valueOf(entry);
      String container = text.substring(text.lastIndexOf(':') + 1).replaceAll("/\\w+$", "");
      ports.add(Integer.parseInt(container));
    }
    return ports;
  }
}
