package io.berth.launcher.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One container that runs Berth's image, as a deploy file defines it: where (file and service or Deployment), the
 * launcher's arguments (what follows {@code -jar berth.jar} in ENTRYPOINT, then the command), its environment (the
 * image's ENV overlaid by the file's), and the repository file that ends up at the config path it names.
 */
record BerthContainer(String where, List<String> arguments, Map<String, String> environment, Path configFile) {

  /** The launcher's arguments: what the image's ENTRYPOINT passes after the jar, then CMD or its replacement. */
  static List<String> launcherArguments(Dockerfile image, List<String> command) {
    List<String> entrypoint = image.entrypoint();
    int jar = entrypoint.indexOf("-jar");
    if (jar < 0 || jar + 1 >= entrypoint.size()) {
      throw new AssertionError(image.where(image.last("ENTRYPOINT").line()) + ": ENTRYPOINT runs no -jar");
    }
    List<String> arguments = new ArrayList<>(entrypoint.subList(jar + 2, entrypoint.size()));
    arguments.addAll(command);
    return arguments;
  }

  ServeCommand serve() {
    return ServeCommand.parse(arguments);
  }
}
