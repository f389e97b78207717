package io.berth.common.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.IllegalBCryptFormatException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users from an htpasswd file with bcrypt entries ({@code $2y$}, {@code $2b$} or {@code $2a$}, as {@code htpasswd -B}
 * and others write them; distribution accepts no other kind). The file is re-read when its modification time changes.
 *
 * <p>Response time must not tell which user names exist: a user the file does not know, and one whose line holds no
 * usable hash, are checked against a decoy hash of the cost most of the file's hashes have (recomputed on every
 * reload), so every check costs one bcrypt of the same cost and takes the same path. Checks run on the process's
 * bcrypt pool ({@link BcryptWorkers}).
 */
final class Htpasswd {
  /** What a check found; the reason label of {@code berth_login_failures_total} for all but a match. */
  enum Check {
    MATCH, WRONG_PASSWORD, UNKNOWN_USER, UNUSABLE_HASH
  }

  private static final Logger LOG = LoggerFactory.getLogger(Htpasswd.class);
  /** What {@code htpasswd -B} writes, for a file without any usable hash. */
  private static final int DEFAULT_COST = 5;
  /**
   * bcrypt reads at most 72 bytes of a password (OpenBSD, Go, Apache and jBCrypt all ignore the rest); the library's
   * default refuses longer ones, and its own truncation keeps 71, so a 72-byte prefix is what matches their hashes.
   */
  private static final int BCRYPT_KEY_BYTES = 72;
  private static final BCrypt.Verifyer VERIFYER = BCrypt.verifyer(BCrypt.Version.VERSION_2A,
      password -> Arrays.copyOf(password, BCRYPT_KEY_BYTES));
  /** $2x$ marks crypt_blowfish's old sign-extension bug, which no other implementation reproduces. */
  private static final Set<BCrypt.Version> VERSIONS = Set.of(BCrypt.Version.VERSION_2A, BCrypt.Version.VERSION_2B,
      BCrypt.Version.VERSION_2Y);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final BcryptWorkers workers;
  private final Path path;
  private volatile Loaded loaded;

  Htpasswd(Vertx vertx, Path path) {
    this.workers = BcryptWorkers.of(vertx);
    this.path = path;
  }

  /**
   * Checks the password; never fails for a wrong password or an unknown user, only for an unreadable file, or with
   * {@link LoginThrottled} when too many checks are pending in the process. {@code first}: the login's account and
   * address failed no login lately, so the check goes ahead of the others waiting.
   */
  Future<Check> verify(String user, String password, boolean first) {
    return workers.check(first, () -> current().check(user, password));
  }

  /** Whether the file still names the user with a usable hash; a refresh token must stop working once it does not. */
  Future<Boolean> contains(String user) {
    return workers.run(() -> current().entries().get(user) != null);
  }

  private synchronized Loaded current() throws IOException {
    FileTime modified = Files.getLastModifiedTime(path);
    if (loaded == null || !modified.equals(loaded.modified())) {
      loaded = load(modified);
    }
    return loaded;
  }

  private Loaded load(FileTime modified) throws IOException {
    Map<String, BCrypt.HashData> entries = new HashMap<>();
    List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    for (int number = 1; number <= lines.size(); number++) {
      String line = lines.get(number - 1).trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        LOG.warn("htpasswd line is no user:hash entry, ignored [file: {}, line: {}]", path, number);
        continue;
      }
      String user = line.substring(0, colon);
      BCrypt.HashData hash = parse(line.substring(colon + 1));
      if (hash == null) {
        LOG.warn("htpasswd line holds no usable bcrypt hash, its user cannot log in [file: {}, line: {}, user: {}]",
            path, number, user);
      }
      entries.put(user, hash);
    }
    int cost = usualCost(entries);
    LOG.info("htpasswd loaded [file: {}, users: {}, bcrypt cost: {}]", path, entries.size(), cost);
    return new Loaded(entries, decoy(cost), modified);
  }

  /** The hash of an entry, or null when it is none bcrypt can check (a line's hash is never logged). */
  private static BCrypt.HashData parse(String hash) {
    try {
      BCrypt.HashData data = BCrypt.Version.VERSION_2A.parser.parse(hash.getBytes(StandardCharsets.UTF_8));
      return VERSIONS.contains(data.version) && data.cost >= BCrypt.MIN_COST && data.cost <= BCrypt.MAX_COST
          ? data : null;
    } catch (IllegalBCryptFormatException | IllegalArgumentException e) {
      return null;
    }
  }

  /** The most common cost among the usable hashes (the higher one on a tie), else htpasswd's default. */
  private static int usualCost(Map<String, BCrypt.HashData> entries) {
    Map<Integer, Integer> counts = new TreeMap<>();
    entries.values().stream().filter(hash -> hash != null).forEach(hash -> counts.merge(hash.cost, 1, Integer::sum));
    int cost = DEFAULT_COST;
    int most = 0;
    for (Map.Entry<Integer, Integer> count : counts.entrySet()) {
      if (count.getValue() >= most) {
        cost = count.getKey();
        most = count.getValue();
      }
    }
    return cost;
  }

  /** A hash of a random password nobody knows, checked in place of a missing or unusable one. */
  private static BCrypt.HashData decoy(int cost) {
    byte[] salt = new byte[BCrypt.SALT_LENGTH];
    byte[] password = new byte[32];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(password);
    return BCrypt.with(BCrypt.Version.VERSION_2A).hashRaw(cost, salt, password);
  }

  /** One load of the file: each user's hash (null: unusable), the decoy, and the modification time it was read at. */
  private record Loaded(Map<String, BCrypt.HashData> entries, BCrypt.HashData decoy, FileTime modified) {
    Check check(String user, String password) {
      boolean known = entries.containsKey(user);
      BCrypt.HashData hash = entries.get(user);
      boolean matches = VERIFYER.verify(password.getBytes(StandardCharsets.UTF_8), hash == null ? decoy : hash)
          .verified;
      if (!known) {
        return Check.UNKNOWN_USER;
      }
      if (hash == null) {
        return Check.UNUSABLE_HASH;
      }
      return matches ? Check.MATCH : Check.WRONG_PASSWORD;
    }
  }
}
