package io.berth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.config.AuthConfig;
import io.berth.common.config.ConfigException;
import io.berth.common.config.LoginThrottleConfig;
import io.berth.common.metrics.Metrics;
import io.berth.gateway.http.OciFailureHandler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/**
 * AccessControl as a route sees it, on a tiny real router: who the caller is ends up on the context under
 * {@code berth.user}, and a mode whose files are missing refuses to start.
 */
class AccessControlTest {
  @TempDir
  Path directory;
  private Vertx vertx;
  private WebClient client;

  @BeforeEach
  void createVertx() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void htpasswdUserNameIsPutOnTheContext() throws Exception {
    Path users = Files.writeString(directory.resolve("htpasswd"), "carol:" + BCrypt.hashpw("s3cret",
        BCrypt.gensalt(4)) + "\n");
    int port = serve(AccessControl.load(vertx, new AuthConfig.Htpasswd("realm", users, LoginThrottleConfig.DEFAULTS),
        Metrics.disabled()).await(10, TimeUnit.SECONDS));

    HttpResponse<Buffer> response = get(port, HtpasswdAuthTest.basic("carol", "s3cret"));

    assertEquals(200, response.statusCode());
    assertEquals("user=carol", response.bodyAsString());
  }

  @Test
  void tokenSubjectIsPutOnTheContextAndAMissingSubjectIsEmpty() throws Exception {
    TestPki.Identity issuer = TestPki.selfSignedCa("CN=Context Test Issuer");
    Path bundle = TestPki.writeBundle(directory.resolve("bundle.pem"), issuer.certificate());
    AccessControl access = AccessControl.load(vertx, new AuthConfig.Token(Jwts.REALM, Jwts.SERVICE, Jwts.ISSUER,
        bundle, null, List.of("RS256"), false), Metrics.disabled()).await(10, TimeUnit.SECONDS);
    int port = serve(access);
    JsonArray pull = Jwts.access("repository", "app/one", "pull");

    HttpResponse<Buffer> withSubject = get(port, "Bearer " + Jwts.sign(Jwts.header("RS256")
        .put("x5c", new JsonArray().add(issuer.x5c())), Jwts.claims(pull).put("sub", "ci-bot"), issuer.privateKey()));
    HttpResponse<Buffer> withoutSubject = get(port, "Bearer " + Jwts.sign(Jwts.header("RS256")
        .put("x5c", new JsonArray().add(issuer.x5c())), withoutSub(Jwts.claims(pull)), issuer.privateKey()));

    assertEquals(200, withSubject.statusCode());
    assertEquals("user=ci-bot", withSubject.bodyAsString());
    assertEquals(200, withoutSubject.statusCode());
    assertEquals("user=", withoutSubject.bodyAsString());
  }

  @Test
  void noAuthPutsNoUserOnTheContext() throws Exception {
    int port = serve(AccessControl.load(vertx, new AuthConfig.None(), Metrics.disabled()).await(10, TimeUnit.SECONDS));

    HttpResponse<Buffer> response = get(port, null);

    assertEquals(200, response.statusCode());
    assertEquals("user=null", response.bodyAsString());
  }

  @Test
  void missingHtpasswdFileOrCertificateBundleRefusesToStart() {
    Path missing = directory.resolve("missing");

    ConfigException htpasswd = assertThrows(ConfigException.class,
        () -> AccessControl.load(vertx, new AuthConfig.Htpasswd("realm", missing, LoginThrottleConfig.DEFAULTS),
            Metrics.disabled()).await(10, TimeUnit.SECONDS));
    ConfigException token = assertThrows(ConfigException.class,
        () -> AccessControl.load(vertx, new AuthConfig.Token(Jwts.REALM, Jwts.SERVICE, Jwts.ISSUER, missing, null,
            List.of(), false), Metrics.disabled()).await(10, TimeUnit.SECONDS));

    assertEquals(ConfigException.class, htpasswd.getClass());
    assertEquals("auth.htpasswd.path: cannot read " + missing, htpasswd.getMessage());
    assertEquals(ConfigException.class, token.getClass());
    assertTrue(token.getMessage().startsWith("auth.token.rootcertbundle: cannot read " + missing));
  }

  private int serve(AccessControl access) throws Exception {
    Router router = Router.router(vertx);
    router.routeWithRegex(HttpMethod.GET, "^/v2/(?<name>.+)/tags/list$").handler(access.pull())
        .handler(ctx -> ctx.response().end("user=" + ctx.<String>get(AccessControl.USER)));
    router.route().failureHandler(new OciFailureHandler());
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    return server.actualPort();
  }

  private HttpResponse<Buffer> get(int port, String authorization) throws Exception {
    var request = client.get(port, "127.0.0.1", "/v2/app/one/tags/list");
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return request.send().await(10, TimeUnit.SECONDS);
  }

  private static JsonObject withoutSub(JsonObject claims) {
    claims.remove("sub");
    return claims;
  }
}
