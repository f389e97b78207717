package io.berth.auth.token;

import io.berth.auth.keys.SigningKey;
import io.berth.common.auth.Scope;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;

/**
 * Signs access tokens with the claims distribution's verifier reads (registry/auth/token/token.go): {@code iss},
 * {@code sub} ({@code ""} for anonymous), {@code aud} (one string: 2.8 reads it as a string only), {@code exp},
 * {@code nbf}, {@code iat}, {@code jti} and {@code access}. The header carries {@code kid} and the {@code x5c} chain.
 */
public final class TokenIssuer {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JWTAuth jwt;
  private final JWTOptions options;
  private final String issuer;
  private final Duration lifetime;
  private final Clock clock;

  public TokenIssuer(Vertx vertx, SigningKey key, String issuer, Duration lifetime, Clock clock) {
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm(key.algorithm()).setBuffer(Buffer.buffer(key.privateKeyPem())).setId(key.keyId())));
    // The claims are complete as built here: no timestamps or audience added by the library.
    this.options = new JWTOptions().setAlgorithm(key.algorithm()).setNoTimestamp(true)
        .setHeader(new JsonObject().put("x5c", key.x5c()));
    this.issuer = issuer;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  public IssuedToken issue(String subject, String audience, List<Scope> access) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    JsonArray resources = new JsonArray();
    for (Scope scope : access) {
      resources.add(new JsonObject().put("type", scope.type()).put("name", scope.name())
          .put("actions", new JsonArray(scope.actions().stream().sorted().toList())));
    }
    JsonObject claims = new JsonObject()
        .put("iss", issuer)
        .put("sub", subject)
        .put("aud", audience)
        .put("exp", now.plus(lifetime).getEpochSecond())
        .put("nbf", now.getEpochSecond())
        .put("iat", now.getEpochSecond())
        .put("jti", randomId())
        .put("access", resources);
    return new IssuedToken(jwt.generateToken(claims, options), now, lifetime.toSeconds());
  }

  private static String randomId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
