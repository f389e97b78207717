package io.berth.launcher.conformance;

import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import io.berth.launcher.RunningRegistry;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link Sha512Contract} on S3 (S3Proxy on 127.0.0.1), where the bytes of an upload are a multipart upload until
 * its commit and the sha512 check reads the completed object back. Redirects are disabled so the client reads the
 * blobs through Berth.
 */
class S3Sha512ConformanceTest extends Sha512Contract {
  @S3Server
  private static S3TestServer server;
  private static RunningRegistry registry;
  private static OciClient client;

  @BeforeAll
  static void startRegistry() throws Exception {
    Map<String, String> environment = server.registryEnvironment(server.newBucket());
    environment.put("REGISTRY_STORAGE_S3_CHUNKSIZE", Long.toString(5 * 1024 * 1024));
    environment.put("REGISTRY_STORAGE_REDIRECT_DISABLE", "true");
    environment.put("REGISTRY_LOG_LEVEL", "warn");
    registry = RunningRegistry.startOnDriver(environment);
    client = new OciClient(registry.baseUrl());
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @Override
  OciClient client() {
    return client;
  }
}
