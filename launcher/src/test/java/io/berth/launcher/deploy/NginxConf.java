package io.berth.launcher.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An nginx configuration file as directives with their line numbers; a block directive carries its children. */
final class NginxConf {
  final Path file;
  final List<Directive> directives;

  record Directive(int line, String name, List<String> arguments, List<Directive> block) {
    /** Directives of this name anywhere inside this block. */
    List<Directive> find(String wanted) {
      return NginxConf.find(block == null ? List.of() : block, wanted);
    }
  }

  private NginxConf(Path file, List<Directive> directives) {
    this.file = file;
    this.directives = directives;
  }

  static NginxConf read(Path file) {
    Parser parser = new Parser(Repo.read(file), Repo.name(file));
    return new NginxConf(file, parser.block(false));
  }

  String where(Directive directive) {
    return Repo.name(file) + " line " + directive.line();
  }

  List<Directive> find(String name) {
    return find(directives, name);
  }

  private static List<Directive> find(List<Directive> directives, String name) {
    List<Directive> found = new ArrayList<>();
    for (Directive directive : directives) {
      if (directive.name().equals(name)) {
        found.add(directive);
      }
      if (directive.block() != null) {
        found.addAll(find(directive.block(), name));
      }
    }
    return found;
  }

  /** Words, quoted strings, {@code ;}, <code>{</code> and <code>}</code>; {@code #} comments to the end of the line. */
  private static final class Parser {
    private final String text;
    private final String name;
    private int position;
    private int line = 1;

    Parser(String text, String name) {
      this.text = text;
      this.name = name;
    }

    List<Directive> block(boolean nested) {
      List<Directive> directives = new ArrayList<>();
      List<String> words = new ArrayList<>();
      int start = line;
      while (true) {
        String token = next();
        if (token == null) {
          if (nested || !words.isEmpty()) {
            throw new AssertionError(name + ": unexpected end of file in the directive of line " + start);
          }
          return directives;
        }
        if (words.isEmpty()) {
          start = line;
        }
        switch (token) {
          case ";" -> {
            directives.add(directive(start, words, null));
            words = new ArrayList<>();
          }
          case "{" -> {
            int opened = start;
            List<String> head = words;
            directives.add(directive(opened, head, block(true)));
            words = new ArrayList<>();
          }
          case "}" -> {
            if (!nested || !words.isEmpty()) {
              throw new AssertionError(name + " line " + line + ": unexpected }");
            }
            return directives;
          }
          default -> words.add(token);
        }
      }
    }

    private Directive directive(int at, List<String> words, List<Directive> block) {
      if (words.isEmpty()) {
        throw new AssertionError(name + " line " + at + ": a ; or { without a directive");
      }
      return new Directive(at, words.get(0), List.copyOf(words.subList(1, words.size())), block);
    }

    private String next() {
      while (position < text.length()) {
        char c = text.charAt(position);
        if (c == '\n') {
          line++;
          position++;
        } else if (Character.isWhitespace(c)) {
          position++;
        } else if (c == '#') {
          while (position < text.length() && text.charAt(position) != '\n') {
            position++;
          }
        } else {
          break;
        }
      }
      if (position >= text.length()) {
        return null;
      }
      char c = text.charAt(position);
      if (c == ';' || c == '{' || c == '}') {
        position++;
        return String.valueOf(c);
      }
      if (c == '"' || c == '\'') {
        int end = text.indexOf(c, position + 1);
        String quoted = text.substring(position + 1, end);
        position = end + 1;
        return quoted;
      }
      int begin = position;
      while (position < text.length() && !Character.isWhitespace(text.charAt(position))
          && ";{}".indexOf(text.charAt(position)) < 0) {
        position++;
      }
      return text.substring(begin, position);
    }
  }
}
