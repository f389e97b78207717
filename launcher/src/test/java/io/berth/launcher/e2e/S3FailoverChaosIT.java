package io.berth.launcher.e2e;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@link FailoverChaosIT} on S3: the members share the bucket (S3Proxy in this JVM, reached by each member over HTTP)
 * and no directory; blob reads are answered with a redirect to S3, which the clients follow. The two issuers keep
 * nothing in common on S3, so both are given one key, as README "Shared storage" tells operators.
 */
class S3FailoverChaosIT extends FailoverChaosIT {
  @Override
  protected ClusterStorage storage(Path work) {
    return ClusterStorage.S3Bucket.start();
  }

  @Override
  protected Map<String, String> issuerSettings(Path work) throws Exception {
    Path keys = work.resolve("issuer");
    TestCertificates.ca("berth-auth").write(keys, "cert.pem", "key.pem");
    return Map.of(
        "REGISTRY_AUTHSERVER_SIGNING_KEY", keys.resolve("key.pem").toString(),
        "REGISTRY_AUTHSERVER_SIGNING_CERTIFICATE", keys.resolve("cert.pem").toString());
  }

  @Override
  protected Path issuerCertificate(Path work) {
    return work.resolve("issuer/cert.pem");
  }

  @Override
  protected String storageName() {
    return "s3";
  }
}
