package io.berth.auth.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.auth.Scope;
import io.berth.common.config.AuthServerConfig.AclRule;
import io.berth.common.config.ConfigException;
import io.berth.common.config.ConfigParser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The static ACL: first match wins, globs and /regex/, ${account}, the anonymous policy, default deny. */
class AccessPolicyTest {
  private static AclRule rule(String account, String type, String name, String... actions) {
    return new AclRule(account, type, name, List.of(actions));
  }

  @Test
  void firstMatchingRuleDecidesEvenWhenALaterRuleWouldAllowMore() {
    AccessPolicy policy = new AccessPolicy(List.of(
        rule("alice", null, "frozen/*", "pull"),
        rule("alice", null, null, "*")));
    assertEquals(Set.of("pull"), policy.allowed("alice", "repository", "frozen/app"));
    assertEquals(Set.of("*"), policy.allowed("alice", "repository", "other/app"));
  }

  @Test
  void noMatchDeniesAndAnEmptyActionListDeniesExplicitly() {
    AccessPolicy policy = new AccessPolicy(List.of(
        rule("bob", null, "secret/*"),
        rule("/.+/", null, "*", "pull")));
    assertEquals(Set.of(), policy.allowed("bob", "repository", "secret/x"));
    assertEquals(Set.of("pull"), policy.allowed("carol", "repository", "secret/x"));
    assertEquals(Set.of(), policy.allowed("", "repository", "secret/x"), "no rule for anonymous");
    assertEquals(Set.of(), new AccessPolicy(List.of()).allowed("alice", "repository", "a"));
  }

  @Test
  void accountSubstitutionGivesEveryUserTheirOwnNamespaceAndNothingElse() {
    AccessPolicy policy = new AccessPolicy(List.of(rule("/.+/", null, "${account}/*", "*")));
    assertEquals(Set.of("*"), policy.allowed("alice", "repository", "alice/app"));
    assertEquals(Set.of("*"), policy.allowed("alice", "repository", "alice/team/app"));
    assertEquals(Set.of(), policy.allowed("alice", "repository", "alicex/app"));
    assertEquals(Set.of(), policy.allowed("alice", "repository", "bob/app"));
    assertEquals(Set.of(), policy.allowed("", "repository", "/app"), "the account regex excludes anonymous");
  }

  @Test
  void anAccountNameIsInsertedLiterallySoItCannotWidenAGlobOrARegex() {
    AccessPolicy glob = new AccessPolicy(List.of(rule(null, null, "${account}/*", "push")));
    assertEquals(Set.of(), glob.allowed("*", "repository", "bob/app"));
    assertEquals(Set.of("push"), glob.allowed("*", "repository", "*/app"));
    AccessPolicy regex = new AccessPolicy(List.of(rule(null, null, "/${account}-[a-z]+/", "push")));
    assertEquals(Set.of("push"), regex.allowed("a.b", "repository", "a.b-app"));
    assertEquals(Set.of(), regex.allowed("a.b", "repository", "axb-app"));
    assertEquals(Set.of(), regex.allowed(".*", "repository", "anything-app"));
  }

  @Test
  void globsMatchTheWholeNameWithStarAndQuestionMarkAndEverythingElseLiterally() {
    AccessPolicy policy = new AccessPolicy(List.of(
        rule(null, null, "lib?/a.b", "pull"),
        rule(null, null, "team-*", "push")));
    assertEquals(Set.of("pull"), policy.allowed("x", "repository", "lib1/a.b"));
    assertEquals(Set.of(), policy.allowed("x", "repository", "lib1/aXb"), "a dot is literal");
    assertEquals(Set.of(), policy.allowed("x", "repository", "lib12/a.b"));
    assertEquals(Set.of("push"), policy.allowed("x", "repository", "team-a/b/c"));
    assertEquals(Set.of(), policy.allowed("x", "repository", "my-team-a"), "anchored at the start");
  }

  @Test
  void regularExpressionsMustMatchTheWholeValue() {
    AccessPolicy policy = new AccessPolicy(List.of(rule("/ci-[0-9]+/", null, null, "pull", "push")));
    assertEquals(Set.of("pull", "push"), policy.allowed("ci-42", "repository", "x"));
    assertEquals(Set.of(), policy.allowed("not-ci-42", "repository", "x"));
    assertEquals(Set.of(), policy.allowed("ci-42x", "repository", "x"));
  }

  @Test
  void emptyAccountPatternIsTheAnonymousPolicy() {
    AccessPolicy policy = new AccessPolicy(List.of(rule("", null, "public/*", "pull")));
    assertEquals(Set.of("pull"), policy.allowed("", "repository", "public/base"));
    assertEquals(Set.of(), policy.allowed("alice", "repository", "public/base"));
  }

  @Test
  void typeDefaultsToRepositorySoCatalogNeedsARuleOfItsOwn() {
    AccessPolicy policy = new AccessPolicy(List.of(
        rule("admin", null, null, "*"),
        rule("ops", "registry", "catalog", "*")));
    assertEquals(Set.of(), policy.allowed("admin", "registry", "catalog"));
    assertEquals(Set.of("*"), policy.allowed("ops", "registry", "catalog"));
    assertEquals(Set.of(), policy.allowed("ops", "repository", "catalog"));
  }

  @Test
  void grantIntersectsRequestedWithAllowedMergesRepeatsAndStarAllowsWhateverWasAsked() {
    AccessPolicy policy = new AccessPolicy(List.of(
        rule("alice", null, "alice/*", "*"),
        rule("alice", null, "shared/*", "pull"),
        rule("alice", "registry", "catalog", "pull")));
    List<Scope> granted = policy.grant("alice", List.of(
        Scope.repository("alice/a", "pull"),
        Scope.repository("shared/b", "pull", "push", "delete"),
        Scope.repository("alice/a", "push", "delete"),
        Scope.repository("elsewhere/c", "pull"),
        Scope.parse("registry:catalog:*")));
    assertEquals(List.of(
        Scope.repository("alice/a", "pull", "push", "delete"),
        Scope.repository("shared/b", "pull"),
        Scope.repository("elsewhere/c"),
        new Scope("registry", "catalog", Set.of())), granted);
  }

  @Test
  void anInvalidRegularExpressionIsAConfigErrorNamingTheRuleField() {
    ConfigException error = assertThrows(ConfigException.class,
        () -> new AccessPolicy(List.of(rule(null, null, "ok/*", "pull"), rule(null, null, "/[unclosed/", "pull"))));
    assertTrue(error.getMessage().startsWith("authserver.acl[1].match.name: invalid regular expression"),
        error.getMessage());
  }

  @Test
  void aclFromTheConfigFileIsReadInOrderAndNoneOfItsKeysIsReportedAsIgnored() {
    JsonObject json = new JsonObject().put("authserver", new JsonObject()
        .put("acl", new JsonArray()
            .add(new JsonObject().put("match", new JsonObject().put("account", "/.+/").put("name", "${account}/*"))
                .put("actions", new JsonArray().add("*")))
            .add(new JsonObject().put("match", new JsonObject().put("account", "").put("type", "repository")
                .put("name", "public/*")).put("actions", new JsonArray().add("pull")))));
    var config = ConfigParser.parse(json);
    assertEquals(List.of(), config.ignored());
    AccessPolicy policy = new AccessPolicy(config.authServer().acl());
    assertEquals(Set.of("*"), policy.allowed("dave", "repository", "dave/x"));
    assertEquals(Set.of("pull"), policy.allowed("", "repository", "public/x"));
  }
}
