package io.berth.common.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import org.mindrot.jbcrypt.BCrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users from an htpasswd file with bcrypt entries (as {@code htpasswd -B} writes them; distribution accepts no
 * other kind). The file is re-read when its modification time changes. bcrypt runs on a worker thread, and an
 * unknown user costs a bcrypt check too, so response time does not tell which user names exist.
 */
public final class Htpasswd {
  private static final Logger LOG = LoggerFactory.getLogger(Htpasswd.class);
  private static final String UNKNOWN_USER_HASH = BCrypt.hashpw("berth-unknown-user", BCrypt.gensalt(10));

  private final Vertx vertx;
  private final Path path;
  private volatile Map<String, String> users = Map.of();
  private volatile FileTime loadedAt;

  public Htpasswd(Vertx vertx, Path path) {
    this.vertx = vertx;
    this.path = path;
  }

  /** Whether the password is the user's; never fails for a wrong or missing password, only for an unreadable file. */
  public Future<Boolean> verify(String user, String password) {
    return vertx.executeBlocking(() -> {
      reloadIfChanged();
      String hash = users.get(user);
      boolean matches = check(password, hash == null ? UNKNOWN_USER_HASH : hash);
      return hash != null && matches;
    }, false);
  }

  /** Whether the file still names the user; a refresh token must stop working once its user is removed. */
  public Future<Boolean> contains(String user) {
    return vertx.executeBlocking(() -> {
      reloadIfChanged();
      return users.containsKey(user);
    }, false);
  }

  private static boolean check(String password, String hash) {
    try {
      return BCrypt.checkpw(password, normalise(hash));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** $2y$ and $2b$ (Apache, OpenBSD) are the same algorithm as $2a$, which is the only prefix jBCrypt reads. */
  private static String normalise(String hash) {
    return hash.startsWith("$2y$") || hash.startsWith("$2b$") ? "$2a$" + hash.substring(4) : hash;
  }

  private synchronized void reloadIfChanged() throws IOException {
    FileTime modified = Files.getLastModifiedTime(path);
    if (modified.equals(loadedAt)) {
      return;
    }
    Map<String, String> parsed = new HashMap<>();
    for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
      String trimmed = line.trim();
      int colon = trimmed.indexOf(':');
      if (trimmed.isEmpty() || trimmed.startsWith("#") || colon <= 0) {
        continue;
      }
      String hash = trimmed.substring(colon + 1);
      if (!hash.startsWith("$2")) {
        LOG.warn("htpasswd entry is not bcrypt, ignored [file: {}, user: {}]", path, trimmed.substring(0, colon));
        continue;
      }
      parsed.put(trimmed.substring(0, colon), hash);
    }
    users = Map.copyOf(parsed);
    loadedAt = modified;
    LOG.info("htpasswd loaded [file: {}, users: {}]", path, parsed.size());
  }
}
