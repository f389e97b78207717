package io.berth.common.testing;

import io.berth.common.config.S3Config;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;

/**
 * A real S3 server for the tests: S3Proxy on 127.0.0.1 (a free port), in this JVM, over jclouds' in-memory
 * {@code transient} store, checking AWS v2/v4 signatures against one fixed key pair. Nothing outside the test is
 * needed. Each test takes a bucket of its own ({@link #newBucket()}), so one server serves a whole test class.
 */
public final class S3TestServer implements AutoCloseable {
  public static final String ACCESS_KEY = "berth-test-access";
  public static final String SECRET_KEY = "berth-test-secret";
  public static final String REGION = "us-east-1";
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final URI endpoint;

  private S3TestServer(S3Proxy proxy, BlobStoreContext context) {
    this.proxy = proxy;
    this.context = context;
    this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public static S3TestServer start() {
    return start(ContextBuilder.newBuilder("transient"), true);
  }

  /**
   * Over jclouds' {@code filesystem} store in {@code directory} (S3Proxy's {@code jclouds.provider=filesystem}, the
   * backend of a single-host S3Proxy deployment) instead of memory.
   */
  public static S3TestServer startOnFileSystem(Path directory) {
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", directory.toString());
    return start(ContextBuilder.newBuilder("filesystem").overrides(properties), true);
  }

  /**
   * Answering 501 to every request header it does not know, as S3Proxy does by default, and as S3-compatible servers
   * older than the SDK's new checksum headers may.
   */
  public static S3TestServer startStrict() {
    return start(ContextBuilder.newBuilder("transient"), false);
  }

  private static S3TestServer start(ContextBuilder backend, boolean ignoreUnknownHeaders) {
    BlobStoreContext context = backend
        .credentials("identity", "credential")
        .build(BlobStoreContext.class);
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(context.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        // S3Proxy answers 501 to any header it does not know, such as the x-amz-checksum-crc32 that the AWS SDK adds
        // (beside Content-MD5) to DeleteObjects; S3 and the other S3-compatible servers ignore such headers.
        .ignoreUnknownHeaders(ignoreUnknownHeaders)
        .build();
    try {
      proxy.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!proxy.getState().equals("STARTED")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
        Thread.onSpinWait();
      }
    } catch (Exception e) {
      context.close();
      throw new IllegalStateException("S3Proxy did not start", e);
    }
    return new S3TestServer(proxy, context);
  }

  /** {@code http://127.0.0.1:<port>}: distribution's {@code regionendpoint}. */
  public URI endpoint() {
    return endpoint;
  }

  /** A fresh, empty bucket. */
  public String newBucket() {
    String bucket = "berth-test-" + BUCKETS.incrementAndGet();
    context.getBlobStore().createContainerInLocation(null, bucket);
    return bucket;
  }

  /**
   * The {@code REGISTRY_STORAGE_S3_*} variables that point a registry at {@code bucket} on this server, in a mutable
   * map the caller adds its own settings to.
   */
  public Map<String, String> registryEnvironment(String bucket) {
    return registryEnvironment(endpoint, bucket);
  }

  /** As {@link #registryEnvironment(String)}, reaching the server through {@code endpoint} (a proxy before it). */
  public static Map<String, String> registryEnvironment(URI endpoint, String bucket) {
    return new HashMap<>(Map.of(
        "REGISTRY_STORAGE_S3_ACCESSKEY", ACCESS_KEY,
        "REGISTRY_STORAGE_S3_SECRETKEY", SECRET_KEY,
        "REGISTRY_STORAGE_S3_REGION", REGION,
        "REGISTRY_STORAGE_S3_REGIONENDPOINT", endpoint.toString(),
        "REGISTRY_STORAGE_S3_BUCKET", bucket));
  }

  /**
   * A driver configuration on {@code bucket} under {@code rootDirectory}, path-style, with S3's smallest part (5 MiB)
   * as chunk and copy chunk so that tests span several parts with little data.
   */
  public S3Config config(String bucket, String rootDirectory) {
    return new S3Config(ACCESS_KEY, SECRET_KEY, REGION, endpoint, true, bucket, rootDirectory, false, null, false,
        false, S3Config.MIN_CHUNK_SIZE, S3Config.MIN_CHUNK_SIZE, 4, S3Config.MIN_CHUNK_SIZE, "STANDARD", "private",
        null);
  }

  /** The server's own view of its objects, for tests that check what lies in the bucket. */
  public BlobStore store() {
    return context.getBlobStore();
  }

  /** An object's bytes as the server holds them, or null. */
  public byte[] object(String bucket, String key) throws IOException {
    Blob blob = store().getBlob(bucket, key);
    if (blob == null) {
      return null;
    }
    try (InputStream in = blob.getPayload().openStream()) {
      return in.readAllBytes();
    }
  }

  /** Puts an object through the S3 API, unsigned requests being refused: for loading a bucket by hand. */
  public void putObject(String bucket, String key, byte[] content) {
    store().putBlob(bucket, store().blobBuilder(key).payload(content).contentLength(content.length).build());
  }

  /** A plain HTTP GET of a URL (a pre-signed one), as a client following a redirect would make it. */
  public static HttpResponse<byte[]> get(URI url) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } finally {
      context.close();
    }
  }
}
