package io.berth.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parses distribution's {@code auth} section and Berth's {@code authserver} section. */
final class AuthConfigParser {
  private static final Set<String> SIGNING_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
      "PS256", "PS384", "PS512", "EdDSA");
  private static final Set<String> ISSUER_ALGORITHMS = Set.of("RS256", "ES256");
  private static final Set<String> KEY_ID_FORMS = Set.of("thumbprint", "libtrust");
  /** Berth's key beside distribution's one provider under {@code auth}: not a provider itself. */
  private static final String THROTTLE = "throttle";

  private AuthConfigParser() {
  }

  static AuthConfig auth(ConfigReader reader) {
    Object section = reader.peek("auth");
    if (section == null) {
      return new AuthConfig.None();
    }
    if (!(section instanceof JsonObject auth)) {
      throw new ConfigException("auth", "expected a section of keys, got \"" + section + "\"");
    }
    // A provider without settings ("htpasswd:") is still named: it must fail on its required keys, never mean no auth.
    List<String> providers = auth.fieldNames().stream().filter(name -> !name.equals(THROTTLE)).toList();
    if (providers.size() > 1) {
      throw new ConfigException("auth", "configure one provider only, got " + String.join(", ", providers));
    }
    if (providers.isEmpty()) {
      return new AuthConfig.None();
    }
    return switch (providers.get(0)) {
      case "htpasswd" -> new AuthConfig.Htpasswd(reader.string("auth.htpasswd.realm", "basic-realm"),
          requiredPath(reader, "auth.htpasswd.path"), throttle(reader, "auth." + THROTTLE));
      case "token" -> token(reader);
      default -> throw new ConfigException("auth." + providers.get(0),
          "authentication provider not supported; use htpasswd or token");
    };
  }

  private static AuthConfig.Token token(ConfigReader reader) {
    String realm = reader.required("auth.token.realm");
    String service = reader.required("auth.token.service");
    String issuer = reader.required("auth.token.issuer");
    String bundle = reader.string("auth.token.rootcertbundle", null);
    String jwks = reader.string("auth.token.jwks", null);
    if (bundle == null && jwks == null) {
      throw new ConfigException("auth.token.rootcertbundle", "required unless auth.token.jwks is set");
    }
    List<String> algorithms = reader.list("auth.token.signingalgorithms");
    for (String algorithm : algorithms) {
      if (!SIGNING_ALGORITHMS.contains(algorithm)) {
        throw new ConfigException("auth.token.signingalgorithms", "unknown algorithm " + algorithm
            + "; expected some of " + String.join(", ", SIGNING_ALGORITHMS.stream().sorted().toList()));
      }
    }
    return new AuthConfig.Token(realm, service, issuer, bundle == null ? null : Path.of(bundle),
        jwks == null ? null : Path.of(jwks), algorithms, reader.bool("auth.token.autoredirect", false));
  }

  static AuthServerConfig authServer(ConfigReader reader, Path storageRoot) {
    Path dataDirectory = storageRoot.resolve("auth");
    Object section = reader.peek("authserver");
    if (section == null) {
      return AuthServerConfig.disabled(dataDirectory);
    }
    if (!(section instanceof JsonObject)) {
      throw new ConfigException("authserver", "expected a section of keys, got \"" + section + "\"");
    }
    HostPort addr = HostPort.parse("authserver.addr", reader.string("authserver.addr", ":5001"));
    Duration expiration = reader.duration("authserver.expiration", Duration.ofMinutes(5));
    if (expiration.compareTo(Duration.ofSeconds(60)) < 0) {
      throw new ConfigException("authserver.expiration", "must be at least 60s (clients treat less as 60s)");
    }
    Duration refreshExpiration = reader.duration("authserver.refreshexpiration",
        AuthServerConfig.DEFAULT_REFRESH_EXPIRATION);
    if (refreshExpiration.isZero() || refreshExpiration.isNegative()) {
      throw new ConfigException("authserver.refreshexpiration", "must be a positive duration such as 720h");
    }
    String algorithm = reader.string("authserver.signing.algorithm", "RS256");
    if (!ISSUER_ALGORITHMS.contains(algorithm)) {
      throw new ConfigException("authserver.signing.algorithm", "expected RS256 or ES256, got \"" + algorithm + "\"");
    }
    String kid = reader.string("authserver.signing.kid", "thumbprint");
    if (!KEY_ID_FORMS.contains(kid)) {
      throw new ConfigException("authserver.signing.kid", "expected thumbprint or libtrust, got \"" + kid + "\"");
    }
    String key = reader.string("authserver.signing.key", null);
    String certificate = reader.string("authserver.signing.certificate", null);
    if ((key == null) != (certificate == null)) {
      throw new ConfigException(key == null ? "authserver.signing.key" : "authserver.signing.certificate",
          "set both signing.key and signing.certificate, or neither to have them generated");
    }
    String users = reader.string("authserver.users", null);
    return new AuthServerConfig(true, addr.host(), addr.port(), reader.string("authserver.issuer", "berth"),
        reader.string("authserver.service", "registry"), expiration, refreshExpiration, algorithm,
        key == null ? null : Path.of(key), certificate == null ? null : Path.of(certificate), kid,
        users == null ? null : Path.of(users), acl(reader), throttle(reader, "authserver." + THROTTLE),
        dataDirectory, ConnectionLimitsParser.parse(reader, "authserver"));
  }

  /**
   * {@code <section>.accountfailures}, {@code .addressfailures} and {@code .window}. Only the registry's htpasswd mode
   * checks passwords, so in the other modes {@code auth.throttle} is never read and startup names it as ignored.
   */
  private static LoginThrottleConfig throttle(ConfigReader reader, String section) {
    Object value = reader.peek(section);
    if (value != null && !(value instanceof JsonObject)) {
      throw new ConfigException(section, "expected a section of keys, got \"" + value + "\"");
    }
    LoginThrottleConfig defaults = LoginThrottleConfig.DEFAULTS;
    int account = failures(reader, section + ".accountfailures", defaults.accountFailures());
    int address = failures(reader, section + ".addressfailures", defaults.addressFailures());
    String windowKey = section + ".window";
    Duration window = reader.duration(windowKey, defaults.window());
    if (window.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException(windowKey, "must be at least 1s");
    }
    return new LoginThrottleConfig(account, address, window);
  }

  private static int failures(ConfigReader reader, String key, int fallback) {
    Object value = WrittenScalar.typed(reader.value(key));
    if (value == null) {
      return fallback;
    }
    String text = String.valueOf(value).trim();
    if (!text.matches("\\d{1,9}")) {
      throw new ConfigException(key, "expected a whole number of 0 (no limit) or more, got \"" + value + "\"");
    }
    return Integer.parseInt(text);
  }

  private static List<AuthServerConfig.AclRule> acl(ConfigReader reader) {
    Object value = reader.value("authserver.acl");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray rules)) {
      throw new ConfigException("authserver.acl", "expected a list of rules");
    }
    List<AuthServerConfig.AclRule> parsed = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      String key = "authserver.acl[" + i + "]";
      if (!(rules.getValue(i) instanceof JsonObject rule)) {
        throw new ConfigException(key, "expected a rule with match and actions");
      }
      JsonObject match = rule.getValue("match") instanceof JsonObject m ? m : new JsonObject();
      if (!(rule.getValue("actions") instanceof JsonArray actions)) {
        throw new ConfigException(key + ".actions", "expected a list of actions (empty denies)");
      }
      parsed.add(new AuthServerConfig.AclRule(stringOrNull(match, "account"), stringOrNull(match, "type"),
          stringOrNull(match, "name"), actions.stream().map(String::valueOf).toList()));
    }
    return List.copyOf(parsed);
  }

  private static String stringOrNull(JsonObject object, String key) {
    Object value = object.getValue(key);
    return value == null ? null : String.valueOf(value);
  }

  private static Path requiredPath(ConfigReader reader, String key) {
    return Path.of(reader.required(key));
  }
}
