package io.berth.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.Construct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * YAML as the configuration reads it: SnakeYAML's YAML 1.1 typing, but a number or boolean keeps the text it was
 * written as ({@link WrittenScalar}) and a date stays its text, since distribution's decoder gives a string key the
 * scalar's own text ({@code secret: 0042} is "0042", not 34).
 */
final class ConfigYaml {
  private ConfigYaml() {
  }

  /** A new parser: SnakeYAML's are not thread-safe. */
  static Yaml parser() {
    return new Yaml(new WrittenConstructor(new LoaderOptions()));
  }

  /** A configuration document, which must be a map of keys; a text without content (blank, comments) is no keys. */
  static JsonObject document(String text) {
    Object document = parser().load(text);
    if (document == null) {
      return new JsonObject();
    }
    if (document instanceof Map<?, ?> map) {
      return object(map);
    }
    throw new IllegalArgumentException("the document is not a map of keys");
  }

  private static JsonObject object(Map<?, ?> map) {
    JsonObject object = new JsonObject();
    map.forEach((key, value) -> object.put(String.valueOf(key), json(value)));
    return object;
  }

  private static Object json(Object value) {
    if (value instanceof Map<?, ?> map) {
      return object(map);
    }
    if (value instanceof List<?> list) {
      JsonArray array = new JsonArray();
      list.forEach(item -> array.add(json(item)));
      return array;
    }
    return value;
  }

  private static final class WrittenConstructor extends SafeConstructor {
    WrittenConstructor(LoaderOptions options) {
      super(options);
      for (Tag tag : List.of(Tag.INT, Tag.FLOAT, Tag.BOOL)) {
        Construct typed = yamlConstructors.get(tag);
        yamlConstructors.put(tag, new AbstractConstruct() {
          @Override
          public Object construct(Node node) {
            return new WrittenScalar(((ScalarNode) node).getValue(), typed.construct(node));
          }
        });
      }
      yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
    }
  }
}
