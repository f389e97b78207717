package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ClusterProcessIT}'s cluster and tests on S3: the members share the bucket (S3Proxy in this JVM, reached by
 * each member over HTTP) and the Hazelcast cluster, and no directory. Each runs in a working directory of its own,
 * where the token issuer keeps its key and the notification service its queues ({@code ./data}); the tests inherited
 * from ClusterProcessIT check that no member's directory holds registry data.
 */
class S3ClusterProcessIT extends ClusterProcessIT {
  @Override
  protected ClusterStorage storage(Path work) {
    return ClusterStorage.S3Bucket.start();
  }

  /** Berth's own files on S3 are each process's: the issuer's key and the queues, in no other member's directory. */
  @Test
  void onlyTheIssuerAndTheNotificationServiceKeepFilesOfTheirOwnEachInItsDirectory() {
    List<String> keeping = cluster().members().stream()
        .filter(member -> Files.exists(member.directory().resolve("data"))).map(BerthCluster.Member::name).toList();

    assertEquals(List.of("notification", "auth"), keeping, "members with a ./data directory");
    Path auth = cluster().member("auth").directory();
    assertTrue(Files.isRegularFile(auth.resolve("data/auth/key.pem")), "the issuer's key under " + auth);
    assertTrue(Files.isDirectory(cluster().member("notification").directory().resolve("data/notifications")));
  }
}
