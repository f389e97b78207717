package io.berth.launcher.deploy;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The instructions of a Dockerfile with their line numbers, grouped by build stage. */
final class Dockerfile {
  final Path file;
  private final List<Instruction> instructions;

  /** {@code stage} counts FROM lines from 0; {@code arguments} is the rest of the line, continuations joined. */
  record Instruction(int line, int stage, String keyword, String arguments) {
  }

  /** A COPY: {@code from} is the stage it copies out of, or null for the build context. */
  record Copy(int line, int stage, String from, List<String> sources, String destination) {
  }

  private Dockerfile(Path file, List<Instruction> instructions) {
    this.file = file;
    this.instructions = instructions;
  }

  static Dockerfile read(Path file) {
    List<Instruction> instructions = new ArrayList<>();
    String[] lines = Repo.read(file).split("\n", -1);
    int stage = -1;
    for (int i = 0; i < lines.length; i++) {
      String trimmed = lines[i].trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int first = i;
      StringBuilder text = new StringBuilder();
      String part = trimmed;
      while (part.endsWith("\\") && i + 1 < lines.length) {
        text.append(part, 0, part.length() - 1).append(' ');
        part = lines[++i].trim();
      }
      text.append(part);
      String[] keywordAndRest = text.toString().split("\\s+", 2);
      String keyword = keywordAndRest[0].toUpperCase(Locale.ROOT);
      if (keyword.equals("FROM")) {
        stage++;
      }
      instructions.add(new Instruction(first + 1, stage, keyword, keywordAndRest.length > 1 ? keywordAndRest[1] : ""));
    }
    return new Dockerfile(file, instructions);
  }

  String where(int line) {
    return Repo.name(file) + " line " + line;
  }

  List<Instruction> all(String keyword) {
    return instructions.stream().filter(instruction -> instruction.keyword().equals(keyword)).toList();
  }

  int finalStage() {
    return instructions.stream().mapToInt(Instruction::stage).max().orElse(0);
  }

  /** The stage's name ({@code FROM image AS name}), or its number as text. */
  String stageName(int stage) {
    for (Instruction from : all("FROM")) {
      String[] words = from.arguments().split("\\s+");
      if (from.stage() == stage) {
        return words.length == 3 && words[1].equalsIgnoreCase("AS") ? words[2] : String.valueOf(stage);
      }
    }
    throw new IllegalArgumentException("no stage " + stage);
  }

  String baseImage(int stage) {
    return all("FROM").stream().filter(from -> from.stage() == stage).findFirst()
        .map(from -> from.arguments().split("\\s+")[0]).orElseThrow();
  }

  /** The last WORKDIR of the stage up to the end; relative paths of COPY resolve against it. */
  String workdir(int stage) {
    String workdir = "/";
    for (Instruction instruction : all("WORKDIR")) {
      if (instruction.stage() == stage) {
        workdir = instruction.arguments().startsWith("/") ? instruction.arguments()
            : workdir + (workdir.endsWith("/") ? "" : "/") + instruction.arguments();
      }
    }
    return workdir;
  }

  List<Copy> copies() {
    List<Copy> copies = new ArrayList<>();
    for (Instruction instruction : all("COPY")) {
      List<String> words = new ArrayList<>(Arrays.asList(instruction.arguments().split("\\s+")));
      String from = null;
      while (!words.isEmpty() && words.get(0).startsWith("--")) {
        String flag = words.remove(0);
        if (flag.startsWith("--from=")) {
          from = flag.substring("--from=".length());
        }
      }
      String destination = words.remove(words.size() - 1);
      copies.add(new Copy(instruction.line(), instruction.stage(), from, List.copyOf(words), destination));
    }
    return copies;
  }

  /** The final stage's ENV, in {@code KEY=value} form (several per line allowed) or the legacy {@code KEY value}. */
  Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    for (Instruction instruction : all("ENV")) {
      if (instruction.stage() != finalStage()) {
        continue;
      }
      String arguments = instruction.arguments();
      if (!arguments.split("\\s+")[0].contains("=")) {
        String[] pair = arguments.split("\\s+", 2);
        environment.put(pair[0], pair.length > 1 ? pair[1] : "");
        continue;
      }
      for (String pair : arguments.split("\\s+")) {
        int equals = pair.indexOf('=');
        environment.put(pair.substring(0, equals), pair.substring(equals + 1));
      }
    }
    return environment;
  }

  /** The last instruction of the keyword in the final stage, which is the one a container gets. */
  Instruction last(String keyword) {
    List<Instruction> found = all(keyword).stream().filter(i -> i.stage() == finalStage()).toList();
    if (found.isEmpty()) {
      throw new AssertionError(Repo.name(file) + ": no " + keyword + " in the final stage");
    }
    return found.get(found.size() - 1);
  }

  /** The exec (JSON array) form of ENTRYPOINT or CMD; the shell form would put a shell between signals and Java. */
  List<String> execForm(Instruction instruction) {
    try {
      JsonArray array = new JsonArray(instruction.arguments());
      return array.stream().map(String::valueOf).toList();
    } catch (DecodeException | ClassCastException e) {
      throw new AssertionError(where(instruction.line()) + ": " + instruction.keyword()
          + " is not in exec form (a JSON array): " + instruction.arguments());
    }
  }

  /** ENTRYPOINT and CMD as the container runs them with no arguments given. */
  List<String> entrypoint() {
    return execForm(last("ENTRYPOINT"));
  }

  List<String> cmd() {
    return execForm(last("CMD"));
  }
}
