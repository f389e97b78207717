package io.berth.auth.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refresh-token file: what a reopened store knows, and the per-subject cap. */
class FileSystemRefreshTokenStoreTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  @TempDir
  Path directory;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private RefreshTokenStore open() throws Exception {
    return FileSystemRefreshTokenStore.open(vertx, directory, CLOCK).await(30, TimeUnit.SECONDS);
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
}
