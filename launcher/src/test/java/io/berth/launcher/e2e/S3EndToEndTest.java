package io.berth.launcher.e2e;

import static io.berth.launcher.e2e.ImageAssertions.assertPulledUnchanged;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.DistributionRegistry;
import io.berth.common.testing.OciLayoutWriter;
import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import io.berth.common.testing.TestImage;
import io.berth.launcher.RunningRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Berth on S3 (S3Proxy on 127.0.0.1) with real clients: skopeo pushes and pulls, following the blob redirects to the
 * S3 server or, with {@code storage.redirect.disable}, reading the blobs through Berth; and CNCF distribution
 * ({@code docker-registry} 2.8, s3-aws driver) on the same bucket serves what Berth wrote, and Berth serves what
 * distribution wrote.
 */
class S3EndToEndTest {
  /** Larger than two 5 MiB parts and not a multiple of one: the upload's last part is short and is taken up again. */
  private static final int BIG_LAYER = 11 * 1024 * 1024 + 4321;
  private static final int LAYER_BYTES = 192 * 1024;
  private static final String PREFIX = "/registry-root";

  @S3Server
  private static S3TestServer server;

  @TempDir
  Path temp;
  private String bucket;
  private Skopeo skopeo;
  private TestImage image;
  private TestImage index;

  @BeforeEach
  void writeImages() throws Exception {
    bucket = server.newBucket();
    skopeo = new Skopeo(temp.resolve("skopeo"));
    OciLayoutWriter images = OciLayoutWriter.create(temp.resolve("images"), 31);
    image = images.image("1.0", 2, BIG_LAYER);
    index = images.index("multi", 1, LAYER_BYTES);
  }

  private Map<String, String> s3(Map<String, String> more) {
    Map<String, String> environment = server.registryEnvironment(bucket);
    environment.put("REGISTRY_STORAGE_S3_ROOTDIRECTORY", PREFIX);
    environment.put("REGISTRY_STORAGE_S3_CHUNKSIZE", Long.toString(5 * 1024 * 1024));
    environment.putAll(more);
    return environment;
  }

  @Test
  void skopeoPushesAndPullsFollowingRedirectsToS3() throws Exception {
    try (RunningRegistry berth = RunningRegistry.startOnDriver(s3(Map.of()))) {
      push(berth.hostPort());

      String layer = image.image().layers().get(0);
      RegistryHttp http = new RegistryHttp(berth.hostPort());
      HttpResponse<byte[]> get = http.get("/v2/interop/app/blobs/" + layer);
      HttpResponse<Void> head = http.head("/v2/interop/app/blobs/" + layer);
      String location = get.headers().firstValue("Location").orElseThrow();

      assertEquals(307, get.statusCode());
      assertTrue(location.startsWith(server.endpoint() + "/" + bucket + PREFIX + "/docker/registry/v2/blobs/sha256/"
          + layer.substring(7, 9) + "/" + layer.substring(7) + "/data?"), location);
      assertArrayEquals(image.blobs().get(layer), S3TestServer.get(URI.create(location)).body());
      assertEquals(200, head.statusCode());
      assertEquals(Integer.toString(image.blobs().get(layer).length),
          head.headers().firstValue("Content-Length").orElseThrow());
      assertEquals(layer, head.headers().firstValue("Docker-Content-Digest").orElseThrow());
      assertServes(berth.hostPort());
    }
    assertTrue(server.store().listMultipartUploads(bucket).isEmpty());
  }

  @Test
  void withRedirectDisabledBerthStreamsTheBlobsItself() throws Exception {
    try (RunningRegistry berth = RunningRegistry.startOnDriver(s3(Map.of("REGISTRY_STORAGE_REDIRECT_DISABLE",
        "true")))) {
      push(berth.hostPort());

      String layer = image.image().layers().get(1);
      HttpResponse<byte[]> get = new RegistryHttp(berth.hostPort()).get("/v2/interop/app/blobs/" + layer);

      assertEquals(200, get.statusCode());
      assertArrayEquals(image.blobs().get(layer), get.body());
      assertServes(berth.hostPort());
    }
  }

  @Test
  void distributionOnTheSameBucketServesWhatBerthWrote() throws Exception {
    try (RunningRegistry berth = RunningRegistry.startOnDriver(s3(Map.of()))) {
      push(berth.hostPort());
    }

    try (DistributionRegistry distribution = DistributionRegistry.onS3(server.endpoint(),
        S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY, bucket, PREFIX).start(temp)) {
      assertServes(distribution.hostPort());
    }
  }

  /**
   * distribution 2.8 cannot push to S3Proxy (its writer dereferences the IsTruncated that S3Proxy's ListParts leaves
   * out), so it pushes to its file system and its tree is loaded into the bucket under the prefix, object by object:
   * the same keys its s3-aws driver would have written.
   */
  @Test
  void berthServesWhatDistributionWroteIntoTheBucket() throws Exception {
    Path root = temp.resolve("distribution-storage");
    try (DistributionRegistry distribution = DistributionRegistry.onFilesystem(root).start(temp)) {
      push(distribution.hostPort());
    }
    try (Stream<Path> files = Files.walk(root.resolve("docker"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        server.putObject(bucket, PREFIX.substring(1) + "/" + root.relativize(file), Files.readAllBytes(file));
      }
    }

    try (RunningRegistry berth = RunningRegistry.startOnDriver(s3(Map.of()))) {
      assertServes(berth.hostPort());
    }
  }

  @Test
  void aMissingBucketStopsTheStartNamingTheKey() {
    Map<String, String> environment = s3(Map.of("REGISTRY_STORAGE_S3_BUCKET", "no-such-bucket"));

    Exception failure = assertThrows(Exception.class,
        () -> RunningRegistry.startOnDriver(environment).close());

    assertTrue(String.valueOf(failure.getMessage()).startsWith("storage.s3.bucket: no bucket \"no-such-bucket\""),
        failure.toString());
  }

  private void push(String registry) throws Exception {
    Path layout = temp.resolve("images");
    skopeo.push(layout, image.tag(), registry + "/interop/app:" + image.tag());
    skopeo.push(layout, index.tag(), registry + "/interop/multi:" + index.tag(), "--all");
  }

  private void assertServes(String registry) throws Exception {
    String run = "pull-" + System.nanoTime();
    assertPulledUnchanged(image,
        skopeo.pull(registry + "/interop/app:" + image.tag(), temp.resolve(run + "-by-tag"), image.tag()));
    assertPulledUnchanged(image,
        skopeo.pull(registry + "/interop/app@" + image.digest(), temp.resolve(run + "-by-digest"), image.tag()));
    assertPulledUnchanged(index,
        skopeo.pull(registry + "/interop/multi:" + index.tag(), temp.resolve(run + "-index"), index.tag(), "--all"));

    RegistryHttp http = new RegistryHttp(registry);
    assertEquals(List.of("interop/app", "interop/multi"), http.catalog());
    assertEquals(List.of(image.tag()), http.tags("interop/app"));
  }
}
