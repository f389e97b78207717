package io.berth.launcher.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One container that runs Berth's image, as a deploy file defines it: where (file and service or Deployment), the
 * launcher's arguments (what follows {@code -jar berth.jar} once the image's ENTRYPOINT and {@code registry} scripts
 * have run the command), its environment (the image's ENV overlaid by the file's), and the repository file that ends
 * up at the config path it names.
 */
record BerthContainer(String where, List<String> arguments, Map<String, String> environment, Path configFile) {

  /** The launcher's arguments for the container's command ({@code null}: the image's CMD), found by running it. */
  static List<String> launcherArguments(ImageScripts scripts, String where, List<String> command,
      Map<String, String> environment) {
    try {
      return scripts.run(command, environment, scripts.bin()).launcherArguments();
    } catch (AssertionError e) {
      throw new AssertionError(where + ": " + e.getMessage(), e);
    }
  }

  ServeCommand serve() {
    return ServeCommand.parse(arguments);
  }
}
