package io.berth.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.FaultyTcpProxy;
import io.berth.common.testing.FaultyTcpProxy.Fault;
import io.berth.common.testing.ChildProcess;
import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code registry serve} on an S3 bucket it cannot use stops with status 1 and one line naming the key to fix, before
 * it listens: a bucket that does not exist, credentials S3 refuses, an endpoint that refuses connections or never
 * answers (within {@code calltimeout}).
 */
class ServeRefusesS3IT {
  @S3Server
  private static S3TestServer server;

  @TempDir
  Path dir;

  private List<String> refusedStart(URI endpoint, String bucket, String secret) throws Exception {
    return refusedStart(endpoint, bucket, secret, "");
  }

  /** The error lines naming an S3 key. */
  private List<String> refusedStart(URI endpoint, String bucket, String secret, String more) throws Exception {
    Path config = Files.writeString(dir.resolve("config.yml"), "version: 0.1\nhttp:\n  addr: 127.0.0.1:0\n"
        + "storage:\n  s3:\n    region: " + S3TestServer.REGION + "\n    regionendpoint: " + endpoint
        + "\n    bucket: " + bucket + "\n    accesskey: " + S3TestServer.ACCESS_KEY + "\n    secretkey: " + secret
        + "\n" + more);
    try (ChildProcess process = ChildProcess.java(BerthMain.class, "serve", config.toString()).start()) {
      assertEquals(1, process.awaitExit(), process.log());
      String output = process.log();
      assertFalse(output.contains("Berth listening"), output);
      assertFalse(output.contains("\tat "), "no stack trace: " + output);
      return output.lines().filter(line -> line.contains("level=error") && line.contains("storage.s3.")).toList();
    }
  }

  @Test
  void aBucketThatDoesNotExistIsNamed() throws Exception {
    List<String> lines = refusedStart(server.endpoint(), "no-such-bucket", S3TestServer.SECRET_KEY);

    assertEquals(1, lines.size(), lines::toString);
    // The log line is logfmt: its quotes are escaped.
    assertTrue(lines.get(0).contains("storage.s3.bucket: no bucket \\\"no-such-bucket\\\" at " + server.endpoint()),
        lines.get(0));
  }

  @Test
  void credentialsS3RefusesNameTheAccessKey() throws Exception {
    List<String> lines = refusedStart(server.endpoint(), server.newBucket(), "not-the-secret");

    assertEquals(1, lines.size(), lines::toString);
    assertTrue(lines.get(0).contains("storage.s3.accesskey: access denied to bucket"), lines.get(0));
  }

  @Test
  void anEndpointThatRefusesOrNeverAnswersNamesTheEndpoint() throws Exception {
    try (FaultyTcpProxy proxy = FaultyTcpProxy.to(server.endpoint())) {
      for (Fault fault : List.of(Fault.REFUSE, Fault.STALL)) {
        proxy.fault(fault);
        List<String> lines = refusedStart(proxy.endpoint(), server.newBucket(), S3TestServer.SECRET_KEY,
            "    calltimeout: 3s\n");

        assertEquals(1, lines.size(), () -> fault + ": " + lines);
        assertTrue(lines.get(0).contains("storage.s3.regionendpoint: cannot reach bucket"), fault + ": " + lines);
      }
    }
  }
}
