package io.berth.launcher;

import io.berth.common.boot.ServiceArguments;
import io.berth.common.config.ConfigException;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.ConfigParser;
import io.berth.common.config.RegistryConfig;
import io.berth.common.config.SecretMask;
import io.berth.common.config.WrittenScalar;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * {@code registry check-config [--format yaml|json] [--cluster] [--services a,b] [config.yml]}: reads the file, the
 * {@code REGISTRY_*} variables and serve's flags exactly as {@code serve} would, and either prints the effective
 * configuration (secrets masked) with one line per key Berth warns about, or the one line that would stop
 * {@code serve}. Written for operators and for an image's start script to run before the registry.
 */
public final class CheckConfigCommand {
  static final String USAGE = "usage: registry check-config [--format yaml|json] [--cluster] "
      + "[--services gateway,blob,manifest,notification,auth] [config.yml]";

  private CheckConfigCommand() {
  }

  public static int run(String[] args) {
    // The configuration document is the command's output, so it goes to stdout undisturbed by any log line.
    return run(args, System.getenv(), System.out, System.err);
  }

  /** The exit status: 0 the configuration is good, 1 serve would refuse it, 2 a bad command line. */
  public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
    String format = "yaml";
    List<String> serveArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--format") && i + 1 < args.length) {
        format = args[++i];
      } else if (args[i].startsWith("--format=")) {
        format = args[i].substring("--format=".length());
      } else {
        serveArgs.add(args[i]);
      }
    }
    ServiceArguments arguments;
    try {
      arguments = ServiceArguments.parse(serveArgs.toArray(String[]::new), true);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage() + "; " + USAGE);
      return 2;
    }
    if (!format.equals("yaml") && !format.equals("json")) {
      err.println("unknown format " + format + "; " + USAGE);
      return 2;
    }
    JsonObject merged;
    RegistryConfig config;
    Vertx vertx = Vertx.vertx();
    try {
      merged = ConfigLoader.merged(vertx, arguments.configFile(), arguments.applyTo(environment))
          .await(30, TimeUnit.SECONDS);
      config = ConfigParser.parse(merged.copy());
    } catch (ConfigException e) {
      err.println("configuration error: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      err.println("configuration error: cannot read the configuration: " + e);
      return 1;
    } finally {
      vertx.close();
    }
    JsonObject printable = SecretMask.mask(merged);
    out.print(format.equals("json") ? Json.encodePrettily(plain(printable, CheckConfigCommand::json)) + "\n"
        : yaml(printable));
    config.ignored().forEach(key -> err.println("warning: " + key + ": not supported by Berth yet, ignored"));
    return 0;
  }

  private static String yaml(JsonObject config) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndicatorIndent(2);
    options.setIndentWithIndicator(true);
    return new Yaml(new WrittenRepresenter(options), options).dump(plain(config, written -> written));
  }

  /**
   * A number or boolean as JSON when its text is the JSON of its value ({@code 40}, {@code true}), else the text as
   * a JSON string: {@code 0042}, {@code yes} and {@code 1.50} print as written.
   */
  private static Object json(WrittenScalar written) {
    return written.text().equals(String.valueOf(written.value())) ? written.value() : written.text();
  }

  /** Maps and lists SnakeYAML and Jackson write as such, where they would write Vert.x's JSON types as Java beans. */
  private static Object plain(Object value, Function<WrittenScalar, Object> written) {
    if (value instanceof JsonObject object) {
      Map<String, Object> map = new LinkedHashMap<>();
      object.forEach(entry -> map.put(entry.getKey(), plain(entry.getValue(), written)));
      return map;
    }
    if (value instanceof JsonArray array) {
      return array.stream().map(item -> plain(item, written)).toList();
    }
    return value instanceof WrittenScalar scalar ? written.apply(scalar) : value;
  }

  /**
   * Writes a number or boolean as the plain scalar it was written as ({@code 1.50}, {@code yes}), so that YAML reads
   * back the same. SnakeYAML's emitter never writes digits with a leading zero plain (it would add {@code !!int}), so
   * those are written as quoted text, {@code '0042'}: still the text as written.
   */
  private static final class WrittenRepresenter extends Representer {
    private static final Pattern LEADING_ZERO = Pattern.compile("0[0-9_]+");

    WrittenRepresenter(DumperOptions options) {
      super(options);
      Resolver resolver = new Resolver();
      representers.put(WrittenScalar.class, data -> {
        String text = ((WrittenScalar) data).text();
        return representScalar(LEADING_ZERO.matcher(text).matches() ? Tag.STR
            : resolver.resolve(NodeId.scalar, text, true), text);
      });
    }
  }
}
