package io.berth.launcher.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A scrape in the Prometheus text exposition format (0.0.4), parsed strictly: a malformed line, a sample without a
 * {@code # TYPE}, a histogram whose buckets do not add up, each fails the parse, so a test that reads a value has
 * also checked the format around it.
 */
public final class Exposition {
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
  private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum");

  private final Map<String, String> types = new HashMap<>();
  private final List<Sample> samples = new ArrayList<>();

  private Exposition() {
  }

  public static Exposition parse(String text) {
    Exposition exposition = new Exposition();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      try {
        exposition.line(lines[i]);
      } catch (RuntimeException e) {
        throw new AssertionError("line " + (i + 1) + " is not valid exposition format: " + lines[i], e);
      }
    }
    exposition.checkHistograms();
    return exposition;
  }

  private void line(String line) {
    if (line.isBlank()) {
      return;
    }
    if (line.startsWith("# TYPE ")) {
      String[] parts = line.substring(7).split(" ");
      require(parts.length == 2 && isName(parts[0]) && TYPES.contains(parts[1]), "bad TYPE line");
      require(types.put(parts[0], parts[1]) == null, "second TYPE for " + parts[0]);
      require(samples.stream().noneMatch(sample -> family(sample.name()).equals(parts[0])),
          "TYPE after the samples of " + parts[0]);
      return;
    }
    if (line.startsWith("#")) {
      return;
    }
    Sample sample = new SampleReader(line).read();
    require(types.containsKey(family(sample.name())), "no TYPE for " + sample.name());
    samples.add(sample);
  }

  /** The family a sample belongs to: itself, or a histogram's or summary's name without its suffix. */
  private String family(String name) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : SUFFIXES) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        String type = types.get(base);
        if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
          return base;
        }
      }
    }
    return name;
  }

  /** Buckets are cumulative, end at {@code +Inf}, and the {@code +Inf} bucket equals the count. */
  private void checkHistograms() {
    types.forEach((family, type) -> {
      if (!type.equals("histogram")) {
        return;
      }
      Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
      for (Sample sample : samples) {
        if (sample.name().equals(family + "_bucket")) {
          Map<String, String> series = new TreeMap<>(sample.labels());
          require(series.remove("le") != null, family + " bucket without le");
          buckets.computeIfAbsent(series, key -> new ArrayList<>()).add(sample);
        }
      }
      buckets.forEach((series, list) -> {
        double previous = 0;
        for (Sample bucket : list) {
          require(bucket.value() >= previous, family + series + " buckets are not cumulative");
          previous = bucket.value();
        }
        Sample last = list.get(list.size() - 1);
        require(last.labels().get("le").equals("+Inf"), family + series + " does not end with +Inf");
        require(last.value() == sum(family + "_count", series), family + series + " +Inf bucket is not the count");
      });
    });
  }

  public String type(String family) {
    return types.get(family);
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The sum over the samples of {@code name} whose labels include every one of {@code labels}; 0 when none. */
  public double sum(String name, Map<String, String> labels) {
    return samples.stream()
        .filter(sample -> sample.name().equals(name) && sample.labels().entrySet().containsAll(labels.entrySet()))
        .mapToDouble(Sample::value)
        .sum();
  }

  private static boolean isName(String name) {
    return name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*");
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw new IllegalStateException(problem);
    }
  }

  /** {@code name{label="value",…} value [timestamp]}, with {@code \\}, {@code \"} and {@code \n} escapes in values. */
  private static final class SampleReader {
    private final String line;
    private int at;

    SampleReader(String line) {
      this.line = line;
    }

    Sample read() {
      String name = token("[a-zA-Z0-9_:]");
      require(isName(name), "bad metric name");
      Map<String, String> labels = new TreeMap<>();
      if (peek() == '{') {
        at++;
        while (peek() != '}') {
          String label = token("[a-zA-Z0-9_]");
          require(label.matches("[a-zA-Z_][a-zA-Z0-9_]*"), "bad label name");
          expect('=');
          require(labels.put(label, quoted()) == null, "label " + label + " twice");
          if (peek() == ',') {
            at++;
          } else {
            require(peek() == '}', "expected , or }");
          }
        }
        at++;
      }
      expect(' ');
      String[] rest = line.substring(at).split(" ");
      require(rest.length == 1 || (rest.length == 2 && rest[1].matches("-?\\d+")), "bad value or timestamp");
      return new Sample(name, labels, number(rest[0]));
    }

    private String token(String characterClass) {
      int start = at;
      while (at < line.length() && String.valueOf(line.charAt(at)).matches(characterClass)) {
        at++;
      }
      return line.substring(start, at);
    }

    private String quoted() {
      expect('"');
      StringBuilder value = new StringBuilder();
      while (peek() != '"') {
        char c = line.charAt(at++);
        if (c == '\\') {
          char escaped = line.charAt(at++);
          require(escaped == '\\' || escaped == '"' || escaped == 'n', "bad escape \\" + escaped);
          value.append(escaped == 'n' ? '\n' : escaped);
        } else {
          value.append(c);
        }
      }
      at++;
      return value.toString();
    }

    private char peek() {
      require(at < line.length(), "line ends early");
      return line.charAt(at);
    }

    private void expect(char c) {
      require(peek() == c, "expected " + c);
      at++;
    }

    private static double number(String text) {
      return switch (text) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> {
          require(text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?"), "bad number " + text);
          yield Double.parseDouble(text);
        }
      };
    }
  }
}
