package io.berth.common.auth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One resource scope of Docker token auth: {@code type[(class)]:name:action[,action]}. The name may itself contain a
 * colon ({@code localhost:5000/app}), so the type ends at the first colon and the actions start after the last.
 */
public record Scope(String type, String name, Set<String> actions) {
  public static final String REPOSITORY = "repository";
  public static final String REGISTRY = "registry";
  public static final String PULL = "pull";
  public static final String PUSH = "push";
  public static final String DELETE = "delete";
  public static final String ALL = "*";

  public Scope {
    actions = Set.copyOf(new LinkedHashSet<>(actions));
  }

  public static Scope repository(String name, String... actions) {
    return new Scope(REPOSITORY, name, new LinkedHashSet<>(Arrays.asList(actions)));
  }

  /** Null when the text is not a scope; a malformed scope in a token request is ignored, as distribution's clients expect. */
  public static Scope parse(String text) {
    int first = text.indexOf(':');
    int last = text.lastIndexOf(':');
    if (first <= 0 || last == first || last == text.length() - 1) {
      return null;
    }
    String type = text.substring(0, first);
    int classStart = type.indexOf('(');
    if (classStart >= 0) {
      type = type.substring(0, classStart);
    }
    String name = text.substring(first + 1, last);
    if (type.isEmpty() || name.isEmpty()) {
      return null;
    }
    Set<String> actions = Arrays.stream(text.substring(last + 1).split(","))
        .map(String::trim).filter(action -> !action.isEmpty())
        .collect(Collectors.toCollection(LinkedHashSet::new));
    return new Scope(type, name, actions);
  }

  /** Several scopes in one parameter are separated by spaces (the OAuth2 form of the token endpoint). */
  public static List<Scope> parseAll(String text) {
    return Arrays.stream(text.trim().split("\\s+")).filter(part -> !part.isEmpty()).map(Scope::parse)
        .filter(scope -> scope != null).toList();
  }

  /** Whether {@code granted} actions cover every action this scope asks for ({@code *} covers all). */
  public boolean isCoveredBy(Set<String> granted) {
    return granted.contains(ALL) || granted.containsAll(actions);
  }

  @Override
  public String toString() {
    return type + ":" + name + ":" + actions.stream().sorted().collect(Collectors.joining(","));
  }
}
