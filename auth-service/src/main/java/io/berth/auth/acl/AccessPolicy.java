package io.berth.auth.acl;

import io.berth.common.auth.Scope;
import io.berth.common.config.AuthServerConfig.AclRule;
import io.berth.common.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The static ACL, after cesanta/docker_auth: ordered rules, the first whose match fits decides, no match denies.
 * A rule matches on account (anonymous is {@code ""}), resource type (default {@code repository}) and resource name;
 * a missing account or name matches any. A rule's actions {@code ["*"]} allow every action, {@code []} deny.
 */
public final class AccessPolicy {
  private final List<Rule> rules;

  public AccessPolicy(List<AclRule> rules) {
    List<Rule> compiled = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      compiled.add(Rule.compile(rules.get(i), "authserver.acl[" + i + "].match"));
    }
    this.rules = List.copyOf(compiled);
  }

  /** What the first matching rule allows on the resource; nothing when no rule matches. */
  public Set<String> allowed(String account, String type, String name) {
    for (Rule rule : rules) {
      if (rule.matches(account, type, name)) {
        return rule.actions();
      }
    }
    return Set.of();
  }

  /**
   * Each requested resource once (repeated requests for one resource merged), with the requested actions it is
   * allowed; a resource allowed nothing stays in the list with no actions, since a partial grant is not an error.
   */
  public List<Scope> grant(String account, List<Scope> requested) {
    Map<List<String>, Set<String>> merged = new LinkedHashMap<>();
    for (Scope scope : requested) {
      merged.computeIfAbsent(List.of(scope.type(), scope.name()), key -> new LinkedHashSet<>()).addAll(scope.actions());
    }
    List<Scope> granted = new ArrayList<>();
    merged.forEach((resource, actions) -> {
      Set<String> allowed = allowed(account, resource.get(0), resource.get(1));
      Set<String> kept = new LinkedHashSet<>(actions);
      if (!allowed.contains(Scope.ALL)) {
        kept.retainAll(allowed);
      }
      granted.add(new Scope(resource.get(0), resource.get(1), kept));
    });
    return List.copyOf(granted);
  }

  private record Rule(AclPattern account, AclPattern type, AclPattern name, Set<String> actions) {
    static Rule compile(AclRule rule, String key) {
      return new Rule(pattern(rule.account(), key + ".account"),
          pattern(rule.type() == null ? Scope.REPOSITORY : rule.type(), key + ".type"),
          pattern(rule.name(), key + ".name"), Set.copyOf(rule.actions()));
    }

    private static AclPattern pattern(String text, String key) {
      if (text == null) {
        return null;
      }
      try {
        return AclPattern.compile(text);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key, e.getMessage());
      }
    }

    boolean matches(String account, String resourceType, String resourceName) {
      return (this.account == null || this.account.matches(account, account))
          && type.matches(resourceType, account)
          && (name == null || name.matches(resourceName, account));
    }
  }
}
