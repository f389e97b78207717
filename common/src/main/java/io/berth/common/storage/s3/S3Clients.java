package io.berth.common.storage.s3;

import io.berth.common.config.S3Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.utils.AttributeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One S3 client per configuration and process, shared by every driver the process opens (each verticle instance has
 * its own driver): one connection pool and two I/O threads, whatever the number of instances. A client is closed when
 * the last driver using it is.
 */
final class S3Clients {
  /** Enough for a multipart copy at distribution's default concurrency beside the uploads and reads in flight. */
  private static final Logger LOG = LoggerFactory.getLogger(S3Clients.class);
  private static final int MAX_CONNECTIONS = 200;
  private static final long WARM_UP_SECONDS = 10;
  private static final int IO_THREADS = 2;
  private static final Map<S3Config, Shared> SHARED = new HashMap<>();

  private S3Clients() {
  }

  /** The client, presigner and part budget of a configuration; release each lease once. */
  record Lease(S3Config config, S3AsyncClient client, S3Presigner presigner, PartBudget budget,
      AwsCredentialsProvider credentials) {
    void release() {
      S3Clients.release(config);
    }
  }

  private static final class Shared {
    final SdkAsyncHttpClient http;
    final S3AsyncClient client;
    final S3Presigner presigner;
    final PartBudget budget;
    final AwsCredentialsProvider credentials;
    int users;

    Shared(SdkAsyncHttpClient http, S3AsyncClient client, S3Presigner presigner, PartBudget budget,
        AwsCredentialsProvider credentials) {
      this.credentials = credentials;
      this.http = http;
      this.client = client;
      this.presigner = presigner;
      this.budget = budget;
    }
  }

  /**
   * A lease taken on a worker, never on an event loop: building a client loads and starts the SDK, and its first
   * request loads the request pipeline (together seconds on a cold JVM), and the credential chain's first answer may
   * ask the instance metadata service. With the client built, the credentials resolved and a first HeadBucket made
   * here (its answer is the bucket check's to report, not this), drivers opened on event loops afterwards only count a
   * user, and neither requests nor presigning wait for credentials (the chain refreshes them in the background).
   */
  static Future<Lease> acquire(Vertx vertx, S3Config config) {
    return vertx.executeBlocking(() -> {
      Lease lease = acquire(config);
      try {
        lease.credentials().resolveCredentials();
      } catch (RuntimeException e) {
        LOG.debug("S3 credentials not resolved ahead [bucket: {}]: {}", config.bucket(), e.toString());
      }
      try {
        lease.client().headBucket(b -> b.bucket(config.bucket())).get(WARM_UP_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        LOG.debug("S3 warm-up request failed [bucket: {}]: {}", config.bucket(), e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return lease;
    }, false);
  }

  static synchronized Lease acquire(S3Config config) {
    Shared shared = SHARED.computeIfAbsent(config, S3Clients::create);
    shared.users++;
    return new Lease(config, shared.client, shared.presigner, shared.budget, shared.credentials);
  }

  private static synchronized void release(S3Config config) {
    Shared shared = SHARED.get(config);
    if (shared != null && --shared.users == 0) {
      SHARED.remove(config);
      shared.presigner.close();
      shared.client.close();
      shared.http.close();
    }
  }

  private static Shared create(S3Config config) {
    SdkAsyncHttpClient http = NettyNioAsyncHttpClient.builder()
        .eventLoopGroup(SdkEventLoopGroup.builder().numberOfThreads(IO_THREADS).build())
        .maxConcurrency(MAX_CONNECTIONS)
        .connectionAcquisitionTimeout(Duration.ofSeconds(60))
        .buildWithDefaults(AttributeMap.builder()
            .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, config.skipVerify())
            .build());
    AwsCredentialsProvider credentials = config.accessKey() == null
        ? DefaultCredentialsProvider.builder().asyncCredentialUpdateEnabled(true).build()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
    URI endpoint = endpoint(config);
    S3AsyncClientBuilder builder = S3AsyncClient.builder()
        .httpClient(http)
        .region(Region.of(config.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(config.forcePathStyle())
        // Checksums only where S3 requires them (DeleteObjects), with Content-MD5 as before SDK 2.30: S3-compatible
        // servers (S3Proxy, older MinIO and Ceph) refuse the trailing CRC32 checksums the SDK would otherwise add to
        // every upload, and some require Content-MD5 where S3 requires a checksum.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .addPlugin(LegacyMd5Plugin.create());
    // A call, its retries included, ends within calltimeout, so a hung S3 fails the request instead of holding it; an
    // attempt that hangs leaves time for one more. A streamed download's call ends with its headers, not its body.
    ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
        .apiCallTimeout(config.callTimeout())
        .apiCallAttemptTimeout(config.callTimeout().dividedBy(2));
    if (config.userAgent() != null) {
      override.putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_PREFIX, config.userAgent());
    }
    builder.overrideConfiguration(override.build());
    S3Presigner.Builder presigner = S3Presigner.builder()
        .region(Region.of(config.region()))
        .credentialsProvider(credentials)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(config.forcePathStyle()).build());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
      presigner.endpointOverride(endpoint);
    }
    LOG.info("S3 client built [bucket: {}, endpoint: {}]", config.bucket(), endpoint);
    return new Shared(http, builder.build(), presigner.build(), PartBudget.forHeap(config.chunkSize()),
        credentials);
  }

  /** The configured endpoint; on AWS itself, plain HTTP when {@code secure} is false, as distribution allows. */
  private static URI endpoint(S3Config config) {
    if (config.regionEndpoint() != null) {
      return config.regionEndpoint();
    }
    return config.secure() ? null : URI.create("http://s3." + config.region() + ".amazonaws.com");
  }
}
