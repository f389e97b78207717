package io.berth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.auth.KeyIds;
import io.berth.common.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a {@code jwks} file may hold, checked once at startup rather than on every token. */
class JwksFileTest {
  @TempDir
  Path directory;

  /** A point off its curve is no public key at all (and the start of invalid-curve attacks on ECDH uses of it). */
  @Test
  void ecKeyWhosePointIsNotOnItsCurveStopsStartup() throws Exception {
    JsonObject one = KeyIds.jwk(TestPki.ec("secp256r1").getPublic());
    JsonObject other = KeyIds.jwk(TestPki.ec("secp256r1").getPublic());
    JsonObject offCurve = one.copy().put("y", other.getString("y")).put("kid", "off-curve");
    Path jwks = Files.writeString(directory.resolve("jwks.json"),
        new JsonObject().put("keys", new JsonArray().add(offCurve)).encode());

    assertTrue(assertThrows(ConfigException.class, () -> TrustedKeys.load(null, jwks, Clock.systemUTC()))
        .getMessage().startsWith("auth.token.jwks: "));
  }
}
