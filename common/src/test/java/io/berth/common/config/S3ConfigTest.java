package io.berth.common.config;

import static io.berth.common.testing.Await.failure;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** distribution's {@code storage.s3} keys, their defaults and bounds, from the file and from the environment. */
@ExtendWith(VertxExtension.class)
class S3ConfigTest {
  /** What distribution is configured with against a local S3 endpoint (docs/reference/facts). */
  private static final String LOCAL_ENDPOINT = """
      version: 0.1
      storage:
        s3:
          accesskey: AKIAEXAMPLE
          secretkey: wJalrXUtnFEMI
          region: us-east-1
          regionendpoint: http://127.0.0.1:9000
          secure: false
          v4auth: true
          bucket: registry
          rootdirectory: /prefix
      """;
  private static final long MIB = 1024 * 1024;

  private static Vertx vertx;

  @TempDir
  Path dir;

  @BeforeAll
  static void useVertx(Vertx shared) {
    vertx = shared;
  }

  private RegistryConfig load(String yaml, Map<String, String> environment) throws IOException {
    Path file = Files.writeString(dir.resolve("config.yml"), yaml);
    return result(ConfigLoader.load(vertx, file.toString(), environment));
  }

  private String refusal(String yaml, Map<String, String> environment) throws IOException {
    Path file = Files.writeString(dir.resolve("config.yml"), yaml);
    return assertInstanceOf(ConfigException.class,
        failure(ConfigLoader.load(vertx, file.toString(), environment))).getMessage();
  }

  private String refusal(String yaml) throws IOException {
    return refusal(yaml, Map.of());
  }

  @Test
  void distributionsLocalEndpointConfigurationIsReadWithItsDefaults() throws IOException {
    RegistryConfig config = load(LOCAL_ENDPOINT, Map.of());
    S3Config s3 = config.storage().s3();

    assertEquals("s3aws", config.storage().driverName());
    assertEquals("AKIAEXAMPLE", s3.accessKey());
    assertEquals("wJalrXUtnFEMI", s3.secretKey());
    assertEquals("us-east-1", s3.region());
    assertEquals(URI.create("http://127.0.0.1:9000"), s3.regionEndpoint());
    assertTrue(s3.forcePathStyle());
    assertEquals("registry", s3.bucket());
    assertEquals("/prefix", s3.rootDirectory());
    assertFalse(s3.secure());
    assertFalse(s3.encrypt());
    assertFalse(s3.skipVerify());
    assertEquals(10 * MIB, s3.chunkSize());
    assertEquals(32 * MIB, s3.multipartCopyChunkSize());
    assertEquals(100, s3.multipartCopyMaxConcurrency());
    assertEquals(32 * MIB, s3.multipartCopyThresholdSize());
    assertEquals("STANDARD", s3.storageClass());
    assertEquals("private", s3.objectAcl());
    assertNull(s3.userAgent());
    assertFalse(config.storage().redirectDisabled());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void everyKeyComesFromTheEnvironmentAsWell() throws IOException {
    RegistryConfig config = load("version: 0.1\n", Map.ofEntries(
        Map.entry("REGISTRY_STORAGE_S3_REGION", "eu-west-1"),
        Map.entry("REGISTRY_STORAGE_S3_BUCKET", "images"),
        Map.entry("REGISTRY_STORAGE_S3_ROOTDIRECTORY", "/r"),
        Map.entry("REGISTRY_STORAGE_S3_ENCRYPT", "true"),
        Map.entry("REGISTRY_STORAGE_S3_KEYID", "arn:aws:kms:eu-west-1:1:key/k"),
        Map.entry("REGISTRY_STORAGE_S3_CHUNKSIZE", "5242880"),
        Map.entry("REGISTRY_STORAGE_S3_MULTIPARTCOPYCHUNKSIZE", "6291456"),
        Map.entry("REGISTRY_STORAGE_S3_MULTIPARTCOPYMAXCONCURRENCY", "7"),
        Map.entry("REGISTRY_STORAGE_S3_MULTIPARTCOPYTHRESHOLDSIZE", "0"),
        Map.entry("REGISTRY_STORAGE_S3_STORAGECLASS", "reduced_redundancy"),
        Map.entry("REGISTRY_STORAGE_S3_OBJECTACL", "bucket-owner-full-control"),
        Map.entry("REGISTRY_STORAGE_S3_USERAGENT", "berth-test"),
        Map.entry("REGISTRY_STORAGE_S3_FORCEPATHSTYLE", "true"),
        Map.entry("REGISTRY_STORAGE_S3_SKIPVERIFY", "true"),
        Map.entry("REGISTRY_STORAGE_REDIRECT_DISABLE", "true")));
    S3Config s3 = config.storage().s3();

    assertEquals("eu-west-1", s3.region());
    assertEquals("images", s3.bucket());
    assertNull(s3.accessKey());
    assertNull(s3.regionEndpoint());
    assertTrue(s3.forcePathStyle());
    assertTrue(s3.encrypt());
    assertEquals("arn:aws:kms:eu-west-1:1:key/k", s3.keyId());
    assertEquals(5 * MIB, s3.chunkSize());
    assertEquals(6 * MIB, s3.multipartCopyChunkSize());
    assertEquals(7, s3.multipartCopyMaxConcurrency());
    assertEquals(0, s3.multipartCopyThresholdSize());
    assertEquals("REDUCED_REDUNDANCY", s3.storageClass());
    assertEquals("bucket-owner-full-control", s3.objectAcl());
    assertEquals("berth-test", s3.userAgent());
    assertTrue(s3.skipVerify());
    assertTrue(config.storage().redirectDisabled());
  }

  @Test
  void anEndpointWithoutASchemeTakesItFromSecure() throws IOException {
    RegistryConfig config = load(LOCAL_ENDPOINT.replace("http://127.0.0.1:9000", "minio.internal:9000"), Map.of());

    assertEquals(URI.create("http://minio.internal:9000"), config.storage().s3().regionEndpoint());
  }

  @Test
  void storageClassNoneLeavesTheClassToTheEndpoint() throws IOException {
    RegistryConfig config = load(LOCAL_ENDPOINT + "    storageclass: NONE\n", Map.of());

    assertNull(config.storage().s3().storageClass());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "storage.s3.bucket: no bucket parameter provided                    | '    bucket: registry\n' | ''",
      "storage.s3.region: no region parameter provided                    | '    region: us-east-1\n' | ''",
      "storage.s3.secretkey: set both accesskey and secretkey             | '    secretkey: wJalrXUtnFEMI\n' | ''",
      "storage.s3.chunksize: the chunksize 1048576 parameter should be    | '' | '    chunksize: 1048576\n'",
      "storage.s3.chunksize: chunksize parameter must be an integer, 10MB | '' | '    chunksize: 10MB\n'",
      "storage.s3.multipartcopymaxconcurrency: the multipartcopymaxconcurrency 0 | '' | '    multipartcopymaxconcurrency: 0\n'",
      "storage.s3.v4auth: Berth signs S3 requests with AWS Signature Version 4 only | '    v4auth: true\n' | '    v4auth: false\n'",
      "storage.s3.storageclass: the storageclass parameter must be one of | '' | '    storageclass: GLACIER\n'",
      "storage.s3.objectacl: invalid value for objectacl parameter: shared | '' | '    objectacl: shared\n'",
      "storage.s3.regionendpoint: expected an http(s) URL or a host       | '' | '    regionendpoint: ftp://host\n'",
      "storage.s3.secure: expected true or false                          | '' | '    secure: maybe\n'",
      "storage.s3.calltimeout: expected a duration such as 10s            | '' | '    calltimeout: soon\n'",
      "storage.s3.calltimeout: expected at least 1s                       | '' | '    calltimeout: 500ms\n'",
      "storage.s3.bukcet: Berth does not act on this key                  | '' | '    bukcet: typo\n'"})
  void aWrongValueStopsStartupNamingItsKey(String expected, String removed, String added) throws IOException {
    String yaml = LOCAL_ENDPOINT.replace(removed, "") + added;

    String message = refusal(yaml.replace("    regionendpoint: http://127.0.0.1:9000\n", added.contains("regionendpoint")
        ? "" : "    regionendpoint: http://127.0.0.1:9000\n"));

    assertTrue(message.startsWith(expected.strip()), message);
  }

  @Test
  void theCallTimeoutIsTwentySecondsUnlessSetInTheFileOrTheEnvironment() throws IOException {
    assertEquals(Duration.ofSeconds(20), load(LOCAL_ENDPOINT, Map.of()).storage().s3().callTimeout());
    assertEquals(Duration.ofSeconds(90), load(LOCAL_ENDPOINT + "    calltimeout: 1m30s\n", Map.of()).storage().s3()
        .callTimeout());
    assertEquals(Duration.ofSeconds(5), load(LOCAL_ENDPOINT, Map.of("REGISTRY_STORAGE_S3_CALLTIMEOUT", "5s"))
        .storage().s3().callTimeout());
  }

  @Test
  void onAwsItselfTheRegionMustBeOneOfAws() throws IOException {
    String message = refusal(LOCAL_ENDPOINT.replace("    regionendpoint: http://127.0.0.1:9000\n", "")
        .replace("us-east-1", "moon-1"));

    assertTrue(message.startsWith("storage.s3.region: invalid region provided: moon-1"), message);
  }

  @Test
  void anEmptyS3SectionLacksItsBucket() throws IOException {
    String message = refusal("version: 0.1\nstorage:\n  s3:\n");

    assertTrue(message.startsWith("storage.s3.region: no region parameter provided"), message);
  }

  @Test
  void onlineGarbageCollectionRunsOnS3Too() throws IOException {
    RegistryConfig config = load(LOCAL_ENDPOINT + "  gc:\n    enabled: true\n    deleteuntagged: true\n", Map.of());

    assertTrue(config.gc().enabled());
    assertTrue(config.gc().deleteUntagged());
    assertEquals("s3aws", config.storage().driverName());
  }

  @Test
  void theFilesystemDriverHasNoS3ConfigAndRedirectsByDefault() throws IOException {
    RegistryConfig config = load("version: 0.1\n", Map.of());

    assertNull(config.storage().s3());
    assertEquals("filesystem", config.storage().driverName());
    assertFalse(config.storage().redirectDisabled());
  }
}
