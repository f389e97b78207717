package io.berth.auth;

import io.berth.common.config.ConfigParser;
import io.berth.common.config.RegistryConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mindrot.jbcrypt.BCrypt;

/**
 * A token issuer for a test: its own Vert.x, a TokenVerticle on 127.0.0.1:0 with the given {@code authserver}
 * section and storage root, and a plain java.net.http client to talk to it. Restartable on the same data directory.
 */
final class RunningIssuer implements AutoCloseable {
  static final String ISSUER = "berth-test-issuer";
  static final String SERVICE = "registry.test";
  static final Map<String, String> PASSWORDS = Map.of("alice", "alice-Pa55-word", "bob", "bob-Pa55-word",
      "admin", "admin-Pa55-word");

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final RegistryConfig config;
  private volatile TokenVerticle verticle;
  private volatile String deployment;

  private RunningIssuer(RegistryConfig config) {
    this.config = config;
  }

  static RunningIssuer start(Path storageRoot, JsonObject authserver) throws TimeoutException {
    return startTogether(storageRoot, authserver, 1).get(0);
  }

  /**
   * {@code count} issuers on one storage root, each on a Vert.x of its own as separate processes would be, all
   * deployed at once.
   */
  static List<RunningIssuer> startTogether(Path storageRoot, JsonObject authserver, int count)
      throws TimeoutException {
    JsonObject json = new JsonObject()
        .put("storage", new JsonObject().put("filesystem", new JsonObject().put("rootdirectory", storageRoot.toString())))
        .put("authserver", authserver.copy().put("addr", "127.0.0.1:0"));
    List<RunningIssuer> issuers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      issuers.add(new RunningIssuer(ConfigParser.parse(json)));
    }
    try {
      Future.all(issuers.stream().map(RunningIssuer::deployment).toList()).await(60, TimeUnit.SECONDS);
    } catch (RuntimeException | TimeoutException e) {
      // Awaited: an issuer still starting writes below the storage root, which the test's directory cleanup would
      // then fail to delete.
      try {
        Future.join(issuers.stream().map(issuer -> issuer.vertx.close()).toList()).await(30, TimeUnit.SECONDS);
      } catch (RuntimeException | TimeoutException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return issuers;
  }

  /** issuer, service, users and the standard ACL; the caller adds or overrides keys. */
  static JsonObject standardSection(Path usersFile) {
    return new JsonObject().put("issuer", ISSUER).put("service", SERVICE).put("users", usersFile.toString())
        .put("acl", standardAcl());
  }

  static JsonArray standardAcl() {
    return new JsonArray()
        .add(rule(new JsonObject().put("account", "admin"), "*"))
        .add(rule(new JsonObject().put("account", "admin").put("type", "registry").put("name", "catalog"), "*"))
        .add(rule(new JsonObject().put("account", "/.+/").put("name", "${account}/*"), "*"))
        .add(rule(new JsonObject().put("account", "/.+/").put("name", "shared/*"), "pull"))
        .add(rule(new JsonObject().put("account", "").put("name", "public/*"), "pull"))
        .add(rule(new JsonObject().put("name", "localhost:5000/mirror/*"), "pull", "push"));
  }

  static JsonObject rule(JsonObject match, String... actions) {
    return new JsonObject().put("match", match).put("actions", new JsonArray(List.of(actions)));
  }

  /** An htpasswd file with the users of {@link #PASSWORDS}, bcrypt as {@code htpasswd -B} writes it (cost 4: fast). */
  static Path writeUsers(Path directory) throws IOException {
    List<String> lines = new ArrayList<>();
    PASSWORDS.forEach((user, password) -> lines.add(user + ":" + BCrypt.hashpw(password, BCrypt.gensalt(4))
        .replace("$2a$", "$2y$")));
    return Files.write(directory.resolve("htpasswd"), lines);
  }

  private Future<String> deployment() {
    TokenVerticle fresh = new TokenVerticle(config);
    return vertx.deployVerticle(fresh).map(id -> {
      deployment = id;
      verticle = fresh;
      return id;
    });
  }

  /** Stops the verticle and starts a new one on the same configuration and data directory (a new port). */
  void restart() throws TimeoutException {
    vertx.undeploy(deployment).await(30, TimeUnit.SECONDS);
    deployment().await(60, TimeUnit.SECONDS);
  }

  RegistryConfig config() {
    return config;
  }

  Path dataDirectory() {
    return config.authServer().dataDirectory();
  }

  int port() {
    return verticle.port();
  }

  String url(String pathAndQuery) {
    return "http://127.0.0.1:" + port() + pathAndQuery;
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(pathAndQuery))).GET()
        .timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url(path)))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Form fields in order; a field may repeat (pass it twice). */
  HttpResponse<String> postForm(String path, String... fieldsAndValues) throws IOException, InterruptedException {
    return post(path, "application/x-www-form-urlencoded", form(fieldsAndValues));
  }

  static String form(String... fieldsAndValues) {
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      pairs.add(encode(fieldsAndValues[i]) + "=" + encode(fieldsAndValues[i + 1]));
    }
    return String.join("&", pairs);
  }

  static String query(String... fieldsAndValues) {
    return form(fieldsAndValues);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static String basic(String user) {
    return basic(user, PASSWORDS.get(user));
  }

  @Override
  public void close() throws TimeoutException {
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
