package io.berth.manifest;

import io.berth.common.testing.S3TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link ClusteredManifestCacheIT} on S3: the two clustered manifest services share a bucket (S3Proxy on 127.0.0.1)
 * and no directory. Its {@code start} and {@code stop} hide the file system's, which JUnit then does not run.
 */
class S3ClusteredManifestCacheIT extends ClusteredManifestCacheIT {
  private static S3TestServer s3;

  @BeforeAll
  static void start() {
    s3 = S3TestServer.start();
    start(null, s3.registryEnvironment(s3.newBucket()));
  }

  @AfterAll
  static void stop() {
    try {
      ClusteredManifestCacheIT.stop();
    } finally {
      try {
        s3.close();
      } catch (Exception e) {
        throw new IllegalStateException("S3Proxy did not stop", e);
      }
    }
  }
}
