package io.berth.auth.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.auth.KeyIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refresh-token files: what a reopened or another store on the directory knows, the per-subject cap, migration. */
class FileSystemRefreshTokenStoreTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
  private static final Duration LIFETIME = Duration.ofDays(365);

  @TempDir
  Path directory;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private RefreshTokenStore open() throws Exception {
    return FileSystemRefreshTokenStore.open(vertx, directory, CLOCK, LIFETIME).await(30, TimeUnit.SECONDS);
  }

  @Test
  void aReopenedStoreKnowsIssuedTokensWithSubjectServiceAndTimeAndForgetsRevokedOnes() throws Exception {
    RefreshTokenStore store = open();
    String kept = store.issue("alice", "registry.a").await(30, TimeUnit.SECONDS);
    String revoked = store.issue("bob", "registry.b").await(30, TimeUnit.SECONDS);
    assertEquals(true, store.revoke(revoked).await(30, TimeUnit.SECONDS));
    assertEquals(false, store.revoke(revoked).await(30, TimeUnit.SECONDS));
    RefreshTokenStore reopened = open();
    assertEquals(new RefreshGrant("alice", "registry.a", CLOCK.instant()),
        reopened.find(kept).await(30, TimeUnit.SECONDS));
    assertNull(reopened.find(revoked).await(30, TimeUnit.SECONDS));
    assertNull(reopened.find(kept + "x").await(30, TimeUnit.SECONDS));
  }

  @Test
  void aSubjectKeepsItsNewestTokensUpToTheCapWithoutTouchingOtherSubjects() throws Exception {
    RefreshTokenStore store = open();
    String bobs = store.issue("bob", "registry").await(30, TimeUnit.SECONDS);
    List<Future<String>> issued = new ArrayList<>();
    for (int i = 0; i < FileSystemRefreshTokenStore.PER_SUBJECT + 2; i++) {
      issued.add(store.issue("alice", "registry"));
    }
    Future.all(issued).await(60, TimeUnit.SECONDS);
    RefreshTokenStore reopened = open();
    assertNull(reopened.find(issued.get(0).result()).await(30, TimeUnit.SECONDS));
    assertNull(reopened.find(issued.get(1).result()).await(30, TimeUnit.SECONDS));
    for (Future<String> kept : issued.subList(2, issued.size())) {
      assertNotNull(reopened.find(kept.result()).await(30, TimeUnit.SECONDS));
    }
    assertNotNull(reopened.find(bobs).await(30, TimeUnit.SECONDS));
  }

  @Test
  void storesOnOneDirectoryShareTokensAndRevocationsAtOnce() throws Exception {
    RefreshTokenStore first = open();
    RefreshTokenStore second = open();
    String token = first.issue("alice", "registry").await(30, TimeUnit.SECONDS);
    assertEquals(new RefreshGrant("alice", "registry", CLOCK.instant()),
        second.find(token).await(30, TimeUnit.SECONDS));

    assertEquals(true, second.revoke(token).await(30, TimeUnit.SECONDS));

    assertNull(first.find(token).await(30, TimeUnit.SECONDS));
    assertEquals(false, first.revoke(token).await(30, TimeUnit.SECONDS));
  }

  @Test
  void theCapCountsASubjectsTokensFromEveryStoreOnTheDirectory() throws Exception {
    Clock ticking = new TickingClock();
    RefreshTokenStore first = FileSystemRefreshTokenStore.open(vertx, directory, ticking, LIFETIME)
        .await(30, TimeUnit.SECONDS);
    RefreshTokenStore second = FileSystemRefreshTokenStore.open(vertx, directory, ticking, LIFETIME)
        .await(30, TimeUnit.SECONDS);
    List<String> issued = new ArrayList<>();
    for (int i = 0; i < FileSystemRefreshTokenStore.PER_SUBJECT + 1; i++) {
      issued.add((i % 2 == 0 ? first : second).issue("alice", "registry").await(30, TimeUnit.SECONDS));
    }
    assertNull(second.find(issued.get(0)).await(30, TimeUnit.SECONDS));
    for (String kept : issued.subList(1, issued.size())) {
      assertNotNull(first.find(kept).await(30, TimeUnit.SECONDS));
    }
    try (var entries = Files.list(directory.resolve(FileSystemRefreshTokenStore.TOKENS))) {
      assertEquals(FileSystemRefreshTokenStore.PER_SUBJECT, entries.count());
    }
  }

  @Test
  void theSingleFileOfEarlierVersionsIsMovedIntoOneFilePerTokenOnOpen() throws Exception {
    Instant issued = Instant.parse("2025-06-07T08:09:10Z");
    Path legacy = directory.resolve(FileSystemRefreshTokenStore.FILE);
    Files.writeString(legacy, new JsonObject().put("tokens", new JsonArray()
        .add(legacyEntry("old-alice-token", "alice", issued))
        .add(legacyEntry("old-bob-token", "bob", issued))).encodePrettily());

    RefreshTokenStore store = open();

    assertFalse(Files.exists(legacy));
    assertEquals(new RefreshGrant("alice", "registry", issued),
        store.find("old-alice-token").await(30, TimeUnit.SECONDS));
    assertEquals(true, store.revoke("old-bob-token").await(30, TimeUnit.SECONDS));
    RefreshTokenStore reopened = open();
    assertEquals(new RefreshGrant("alice", "registry", issued),
        reopened.find("old-alice-token").await(30, TimeUnit.SECONDS));
    assertNull(reopened.find("old-bob-token").await(30, TimeUnit.SECONDS));
  }

  @Test
  void aTokenIsRefusedOnceItsLifetimeHasPassedAndItsFilesAreDeletedThen() throws Exception {
    SettableClock clock = new SettableClock(CLOCK.instant());
    RefreshTokenStore store = FileSystemRefreshTokenStore.open(vertx, directory, clock, Duration.ofHours(720))
        .await(30, TimeUnit.SECONDS);
    String token = store.issue("alice", "registry").await(30, TimeUnit.SECONDS);

    clock.set(CLOCK.instant().plus(Duration.ofHours(720)).minusMillis(1));
    assertEquals(new RefreshGrant("alice", "registry", CLOCK.instant()), store.find(token).await(30, TimeUnit.SECONDS));
    clock.set(CLOCK.instant().plus(Duration.ofHours(720)));
    assertNull(store.find(token).await(30, TimeUnit.SECONDS));

    assertEquals(0, files(FileSystemRefreshTokenStore.TOKENS));
    assertEquals(0, files(FileSystemRefreshTokenStore.SUBJECTS + "/" + sha256("alice")));
    assertEquals(false, store.revoke(token).await(30, TimeUnit.SECONDS));
  }

  @Test
  void aTokenFileWithoutAnIssueTimeAgesFromItsModificationTime() throws Exception {
    SettableClock clock = new SettableClock(CLOCK.instant());
    RefreshTokenStore store = FileSystemRefreshTokenStore.open(vertx, directory, clock, Duration.ofHours(720))
        .await(30, TimeUnit.SECONDS);
    Path fresh = writeUndatedTokenFile("fresh-token", CLOCK.instant().minus(Duration.ofHours(1)));
    Path stale = writeUndatedTokenFile("stale-token", CLOCK.instant().minus(Duration.ofHours(721)));

    assertEquals(new RefreshGrant("alice", "registry", CLOCK.instant().minus(Duration.ofHours(1))),
        store.find("fresh-token").await(30, TimeUnit.SECONDS));
    assertNull(store.find("stale-token").await(30, TimeUnit.SECONDS));
    assertTrue(Files.exists(fresh));
    assertFalse(Files.exists(stale));
  }

  private Path writeUndatedTokenFile(String token, Instant modified) throws Exception {
    Path file = directory.resolve(FileSystemRefreshTokenStore.TOKENS).resolve(sha256(token));
    Files.writeString(file, new JsonObject().put("subject", "alice").put("service", "registry").encode());
    Files.setLastModifiedTime(file, FileTime.from(modified));
    return file;
  }

  private long files(String relative) throws Exception {
    try (var listing = Files.list(directory.resolve(relative))) {
      return listing.count();
    }
  }

  private static String sha256(String value) throws Exception {
    return KeyIds.base64Url(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
  }

  /** An entry of the single file as earlier versions wrote it: the token's SHA-256, never the token. */
  private static JsonObject legacyEntry(String token, String subject, Instant issued) throws Exception {
    return new JsonObject().put("sha256", KeyIds.base64Url(MessageDigest.getInstance("SHA-256")
            .digest(token.getBytes(StandardCharsets.UTF_8))))
        .put("subject", subject).put("service", "registry").put("issued_at", issued.toString());
  }

  /** A clock the test sets. */
  private static final class SettableClock extends Clock {
    private volatile Instant now;

    SettableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** A millisecond later at every reading, so that each token is issued after the one before, by any store. */
  private static final class TickingClock extends Clock {
    private final AtomicLong millis = new AtomicLong(CLOCK.millis());

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.incrementAndGet());
    }
  }
}
