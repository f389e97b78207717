package io.berth.manifest;

import static io.berth.common.testing.Await.result;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusClient;
import io.berth.common.bus.BusConsumers;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.BlobRequest;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.event.RequestInfo;
import io.berth.common.metrics.Metrics;
import io.berth.manifest.store.CachePolicy;
import io.berth.manifest.store.ManifestCache;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real ManifestVerticle on its own Vert.x and storage directory, driven over the local event bus. The blob
 * service it asks whether referenced blobs exist is a stand-in that knows the blobs a test declares.
 */
public final class RunningManifestService implements AutoCloseable {
  private final Vertx vertx;
  private final BusClient bus;
  private final Set<String> blobs = ConcurrentHashMap.newKeySet();

  private RunningManifestService(Vertx vertx) {
    this.vertx = vertx;
    this.bus = new BusClient(vertx.eventBus(), 10_000);
  }

  /** With {@code storage.delete.enabled} as given and further {@code REGISTRY_*} settings. */
  public static RunningManifestService start(Path root, boolean deleteEnabled, Map<String, String> environment) {
    return start(Vertx.vertx(), root, deleteEnabled, environment, null);
  }

  /**
   * On {@code vertx} (closed with the service), the cache trusted as {@code policy} says (null: as the verticle
   * chooses for this Vert.x). Each service is a process of its own: its own cache. A null {@code root}: the storage
   * driver is the one {@code environment} configures ({@code REGISTRY_STORAGE_S3_*}).
   */
  public static RunningManifestService start(Vertx vertx, Path root, boolean deleteEnabled,
      Map<String, String> environment, CachePolicy policy) {
    Map<String, String> env = new HashMap<>(environment);
    if (root != null) {
      env.put("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString());
    }
    env.put("REGISTRY_STORAGE_DELETE_ENABLED", String.valueOf(deleteEnabled));
    RegistryConfig config = result(ConfigLoader.load(vertx, null, env));
    RunningManifestService service = new RunningManifestService(vertx);
    result(BusConsumers.register(vertx.eventBus(), Addresses.BLOB_STAT, service::stat).completion());
    result(vertx.deployVerticle(new ManifestVerticle(config, new ManifestCache(), Metrics.disabled(), policy)));
    return service;
  }

  private Future<JsonObject> stat(JsonObject body) {
    BlobRequest request = BlobRequest.fromJson(body);
    return blobs.contains(request.digest())
        ? Future.succeededFuture(new BlobInfo(request.digest(), 1, null).toJson())
        : Future.failedFuture(new RegistryException(ErrorCode.BLOB_UNKNOWN, "unknown", request.digest()));
  }

  /** Makes the stand-in blob service answer that {@code digest} is in every repository. */
  public void knowBlob(String digest) {
    blobs.add(digest);
  }

  public Vertx vertx() {
    return vertx;
  }

  public Future<JsonObject> request(String address, JsonObject body, RequestInfo client) {
    return bus.request(address, body, client);
  }

  public Future<JsonObject> request(String address, JsonObject body) {
    return bus.request(address, body);
  }

  @Override
  public void close() {
    result(vertx.close());
  }
}
