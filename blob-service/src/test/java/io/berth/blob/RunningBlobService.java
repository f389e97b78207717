package io.berth.blob;

import static io.berth.common.testing.Await.result;

import io.berth.blob.upload.UploadSessions;
import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusClient;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.StreamOpened;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.bus.message.UploadState;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.berth.common.event.RequestInfo;
import io.berth.common.oci.UploadId;
import io.berth.common.testing.ChunkStreams;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The real BlobVerticle on its own Vert.x and storage directory, driven over the local event bus. */
public final class RunningBlobService implements AutoCloseable {
  private final Vertx vertx;
  private final RegistryConfig config;
  private final Path root;
  private final BusClient bus;
  private String deployment;
  private UploadSessions uploads;

  private RunningBlobService(Vertx vertx, RegistryConfig config, Path root) {
    this.vertx = vertx;
    this.config = config;
    this.root = root;
    this.bus = new BusClient(vertx.eventBus(), 10_000);
  }

  public static RunningBlobService start(Path root, boolean deleteEnabled) {
    return start(root, deleteEnabled, Map.of());
  }

  /** With further {@code REGISTRY_*} settings. */
  public static RunningBlobService start(Path root, boolean deleteEnabled, Map<String, String> environment) {
    Vertx vertx = Vertx.vertx();
    Map<String, String> env = new HashMap<>(environment);
    env.put("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString());
    env.put("REGISTRY_STORAGE_DELETE_ENABLED", String.valueOf(deleteEnabled));
    RegistryConfig config = result(ConfigLoader.load(vertx, null, env));
    RunningBlobService service = new RunningBlobService(vertx, config, root);
    service.deploy();
    return service;
  }

  private void deploy() {
    uploads = new UploadSessions();
    deployment = result(vertx.deployVerticle(new BlobVerticle(config, uploads)));
  }

  /** Undeploys and deploys again with empty upload sessions, as a restarted process would have. */
  public void restart() {
    result(vertx.undeploy(deployment));
    deploy();
  }

  /** The sessions table the deployed verticle serves, for code that shares it as a process would. */
  public UploadSessions uploads() {
    return uploads;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Where a layout path lies on disk. */
  public Path file(String layoutPath) {
    return root.resolve(layoutPath);
  }

  public Future<JsonObject> request(String address, JsonObject body) {
    return bus.request(address, body);
  }

  /** A request made for a client's request, as the gateway makes it. */
  public Future<JsonObject> request(String address, JsonObject body, RequestInfo client) {
    return bus.request(address, body, client);
  }

  public UploadState startUpload(String repository) {
    return UploadState.fromJson(result(request(Addresses.UPLOAD_START, new JsonObject().put("repository", repository))));
  }

  /** Opens a write into the session and streams the parts; answers what the end of the stream answered. */
  public Future<JsonObject> write(UploadRequest request, Buffer... parts) {
    return write(request, RequestInfo.NONE, parts);
  }

  public Future<JsonObject> write(UploadRequest request, RequestInfo client, Buffer... parts) {
    return request(Addresses.UPLOAD_WRITE, request.toJson(), client)
        .map(StreamOpened::fromJson)
        .compose(opened -> ChunkStreams.send(vertx, opened.address(), List.of(parts)));
  }

  /** A monolithic upload: the blob ends up stored and linked into the repository. */
  public BlobInfo push(String repository, Buffer content) {
    return push(repository, content, RequestInfo.NONE);
  }

  public BlobInfo push(String repository, Buffer content, RequestInfo client) {
    UploadId uuid = startUpload(repository).uuid();
    return BlobInfo.fromJson(result(write(
        new UploadRequest(repository, uuid, 0, TestBytes.sha256(content).toString()), client, content)));
  }

  @Override
  public void close() {
    result(vertx.close());
  }
}
