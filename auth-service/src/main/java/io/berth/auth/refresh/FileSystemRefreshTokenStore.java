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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refresh tokens on storage, one file per token, read on every use, so that every issuer instance on the data
 * directory (in this process or others) knows a token the moment another has issued it and refuses it the moment
 * another has revoked it. The file is named by the token's SHA-256 and holds its subject, service and issue time:
 * it grants nothing to whoever reads it. A token is 256 random bits. Each subject keeps its {@value #PER_SUBJECT}
 * newest tokens ({@code docker login} asks for a new one every time): a directory per subject holds one empty entry
 * per token, named so that names sort by issue time, and older ones are dropped. A token lives for a fixed time from
 * its issue (a file without one, written by hand, from its modification time); one found past it is deleted and
 * refused. Blocking work runs on workers.
 */
public final class FileSystemRefreshTokenStore implements RefreshTokenStore {
  /** The single file earlier versions kept every token in; its tokens move into {@link #TOKENS} on open. */
  public static final String FILE = "refresh-tokens.json";
  /** One file per token, named by the token's SHA-256 (URL-safe Base64). */
  public static final String TOKENS = "refresh-tokens";
  /** One directory per subject, named by the subject's SHA-256: its tokens' entries. */
  public static final String SUBJECTS = "refresh-tokens-by-subject";
  static final int PER_SUBJECT = 100;
  private static final Logger LOG = LoggerFactory.getLogger(FileSystemRefreshTokenStore.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** An entry is {@code <issued, epoch ms>-<sequence>-<token hash>}, numbers zero-padded so names sort by them. */
  private static final int HASH_OFFSET = 19 + 1 + 19 + 1;

  private final Vertx vertx;
  private final Path tokens;
  private final Path subjects;
  private final Clock clock;
  private final Duration lifetime;
  /** Orders the tokens this store issues within one millisecond; across instances the milliseconds order them. */
  private final AtomicLong sequence = new AtomicLong();

  private FileSystemRefreshTokenStore(Vertx vertx, Path directory, Clock clock, Duration lifetime) {
    this.vertx = vertx;
    this.tokens = directory.resolve(TOKENS);
    this.subjects = directory.resolve(SUBJECTS);
    this.clock = clock;
    this.lifetime = lifetime;
  }

  /** {@code lifetime}: how long after its issue a token is accepted ({@code authserver.refreshexpiration}). */
  public static Future<RefreshTokenStore> open(Vertx vertx, Path directory, Clock clock, Duration lifetime) {
    FileSystemRefreshTokenStore store = new FileSystemRefreshTokenStore(vertx, directory, clock, lifetime);
    return vertx.executeBlocking(() -> {
      Files.createDirectories(store.tokens);
      Files.createDirectories(store.subjects);
      store.migrate(directory.resolve(FILE));
      return store;
    });
  }

  @Override
  public Future<String> issue(String subject, String service) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = KeyIds.base64Url(bytes);
    String hash = hash(token);
    RefreshGrant grant = new RefreshGrant(subject, service, clock.instant());
    String entry = entry(grant.issuedAt(), sequence.incrementAndGet(), hash);
    return blocking(() -> {
      store(hash, grant, entry);
      dropOldest(subject);
      return token;
    });
  }

  @Override
  public Future<RefreshGrant> find(String token) {
    String hash = hash(token);
    return blocking(() -> {
      RefreshGrant grant = read(hash);
      if (grant != null && !clock.instant().isBefore(grant.issuedAt().plus(lifetime))) {
        delete(hash, grant);
        LOG.info("refresh token expired [subject: {}, issued: {}]", grant.subject(), grant.issuedAt());
        return null;
      }
      return grant;
    });
  }

  @Override
  public Future<Boolean> revoke(String token) {
    String hash = hash(token);
    return blocking(() -> {
      RefreshGrant grant = read(hash);
      return grant != null && delete(hash, grant);
    });
  }

  /** The token file first, then its subject's entry; whether the file was there to delete. */
  private boolean delete(String hash, RefreshGrant grant) throws IOException {
    boolean deleted = Files.deleteIfExists(tokens.resolve(hash));
    for (String entry : entries(grant.subject())) {
      if (entry.substring(HASH_OFFSET).equals(hash)) {
        Files.deleteIfExists(subjectDirectory(grant.subject()).resolve(entry));
      }
    }
    return deleted;
  }

  /** The entry first: a token whose file exists is always counted against its subject's cap. */
  private void store(String hash, RefreshGrant grant, String entry) throws IOException {
    Path directory = subjectDirectory(grant.subject());
    Files.createDirectories(directory);
    Files.write(directory.resolve(entry), new byte[0]);
    JsonObject json = new JsonObject().put("subject", grant.subject()).put("service", grant.service())
        .put("issued_at", grant.issuedAt().toString());
    AtomicFiles.write(tokens.resolve(hash), json.encodePrettily().getBytes(StandardCharsets.UTF_8),
        AtomicFiles.OWNER_ONLY);
  }

  /**
   * Deletes the subject's tokens beyond the newest {@value #PER_SUBJECT}, token file first (then it is refused
   * whatever happens to its entry). Instances issuing together may each delete some; none deletes one of the newest.
   */
  private void dropOldest(String subject) throws IOException {
    List<String> entries = entries(subject);
    for (String entry : entries.subList(0, Math.max(0, entries.size() - PER_SUBJECT))) {
      Files.deleteIfExists(tokens.resolve(entry.substring(HASH_OFFSET)));
      Files.deleteIfExists(subjectDirectory(subject).resolve(entry));
    }
  }

  /** The subject's entries, oldest first. */
  private List<String> entries(String subject) throws IOException {
    try (Stream<Path> listing = Files.list(subjectDirectory(subject))) {
      return listing.map(path -> path.getFileName().toString())
          .filter(name -> name.length() > HASH_OFFSET)
          .sorted()
          .toList();
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  private RefreshGrant read(String hash) throws IOException {
    Path file = tokens.resolve(hash);
    try {
      JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      String issued = json.getString("issued_at");
      return new RefreshGrant(json.getString("subject"), json.getString("service"),
          issued != null ? Instant.parse(issued) : Files.getLastModifiedTime(file).toInstant());
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /**
   * Moves the tokens of the single file of earlier versions into one file each, then deletes it. Entries are named
   * by the old file's order, so instances migrating together write the same names.
   */
  private void migrate(Path file) throws IOException {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return;
    }
    JsonArray old = new JsonObject(content).getJsonArray("tokens", new JsonArray());
    for (int position = 0; position < old.size(); position++) {
      JsonObject token = old.getJsonObject(position);
      String hash = token.getString("sha256");
      RefreshGrant grant = new RefreshGrant(token.getString("subject"), token.getString("service"),
          Instant.parse(token.getString("issued_at")));
      store(hash, grant, entry(grant.issuedAt(), position, hash));
    }
    Files.deleteIfExists(file);
    LOG.info("moved {} refresh tokens from {} to a file each in {}", old.size(), file, tokens);
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  private Path subjectDirectory(String subject) {
    return subjects.resolve(hash(subject));
  }

  private static String entry(Instant issuedAt, long sequence, String hash) {
    return String.format("%019d-%019d-%s", issuedAt.toEpochMilli(), sequence, hash);
  }

  private static String hash(String value) {
    try {
      return KeyIds.base64Url(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
