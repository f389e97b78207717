package io.berth.auth.refresh;

import io.berth.auth.files.AtomicFiles;
import io.berth.common.auth.KeyIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refresh tokens kept in memory and in {@code refresh-tokens.json} in the data directory, rewritten atomically on
 * every change, so they survive a restart. Only a SHA-256 of each token is stored: the file grants nothing to whoever
 * reads it. A token is 256 random bits. Each subject keeps its {@value #PER_SUBJECT} newest tokens ({@code docker
 * login} asks for a new one every time); older ones are dropped. Not shared between instances: one per data directory.
 */
public final class FileSystemRefreshTokenStore implements RefreshTokenStore {
  public static final String FILE = "refresh-tokens.json";
  static final int PER_SUBJECT = 100;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final Path file;
  private final Clock clock;
  private final Map<String, RefreshGrant> grants;
  private Future<Void> persisted = Future.succeededFuture();

  private FileSystemRefreshTokenStore(Vertx vertx, Path file, Clock clock, Map<String, RefreshGrant> grants) {
    this.vertx = vertx;
    this.file = file;
    this.clock = clock;
    this.grants = grants;
  }

  public static Future<RefreshTokenStore> open(Vertx vertx, Path directory, Clock clock) {
    Path file = directory.resolve(FILE);
    return vertx.executeBlocking(() -> read(file))
        .map(grants -> new FileSystemRefreshTokenStore(vertx, file, clock, grants));
  }

  @Override
  public synchronized Future<String> issue(String subject, String service) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = KeyIds.base64Url(bytes);
    grants.put(hash(token), new RefreshGrant(subject, service, clock.instant()));
    dropOldest(subject);
    return persist().map(token);
  }

  @Override
  public synchronized Future<RefreshGrant> find(String token) {
    return Future.succeededFuture(grants.get(hash(token)));
  }

  @Override
  public synchronized Future<Boolean> revoke(String token) {
    if (grants.remove(hash(token)) == null) {
      // After a failed write the file may still hold a token already gone from memory: write until it is gone.
      return persisted.failed() ? persist().map(false) : Future.succeededFuture(false);
    }
    return persist().map(true);
  }

  private void dropOldest(String subject) {
    long count = grants.values().stream().filter(grant -> grant.subject().equals(subject)).count();
    var entries = grants.entrySet().iterator();
    while (count > PER_SUBJECT && entries.hasNext()) {
      if (entries.next().getValue().subject().equals(subject)) {
        entries.remove();
        count--;
      }
    }
  }

  /** Writes run one after another, each with the state at the time it was asked for, so the last write wins. */
  private Future<Void> persist() {
    byte[] snapshot = serialise().getBytes(StandardCharsets.UTF_8);
    persisted = persisted.transform(previous -> vertx.executeBlocking(() -> {
      AtomicFiles.write(file, snapshot, AtomicFiles.OWNER_ONLY);
      return null;
    }));
    return persisted;
  }

  private String serialise() {
    JsonArray tokens = new JsonArray();
    grants.forEach((hash, grant) -> tokens.add(new JsonObject().put("sha256", hash).put("subject", grant.subject())
        .put("service", grant.service()).put("issued_at", grant.issuedAt().toString())));
    return new JsonObject().put("tokens", tokens).encodePrettily();
  }

  private static Map<String, RefreshGrant> read(Path file) throws IOException {
    Map<String, RefreshGrant> grants = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return grants;
    }
    JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    for (Object entry : json.getJsonArray("tokens", new JsonArray())) {
      JsonObject token = (JsonObject) entry;
      grants.put(token.getString("sha256"), new RefreshGrant(token.getString("subject"), token.getString("service"),
          Instant.parse(token.getString("issued_at"))));
    }
    return grants;
  }

  private static String hash(String token) {
    try {
      return KeyIds.base64Url(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
