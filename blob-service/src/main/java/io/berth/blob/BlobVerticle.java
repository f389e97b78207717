package io.berth.blob;

import io.berth.blob.bus.BlobBusHandlers;
import io.berth.blob.upload.UploadSessions;
import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusConsumers;
import io.berth.common.config.RegistryConfig;
import io.berth.common.storage.FileSystemStorageDriver;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Wires the blob service: its bus consumers over the configured storage. */
public final class BlobVerticle extends VerticleBase {
  private final RegistryConfig config;
  private final UploadSessions uploads;

  /** {@code uploads} is shared by all instances in one process, so any of them can serve any session. */
  public BlobVerticle(RegistryConfig config, UploadSessions uploads) {
    this.config = config;
    this.uploads = uploads;
  }

  @Override
  public Future<?> start() {
    BlobBusHandlers handlers = new BlobBusHandlers(vertx,
        new FileSystemStorageDriver(vertx, config.storage().rootDirectory()), uploads,
        config.storage().deleteEnabled(), config.gc().refreshAfter());
    EventBus bus = vertx.eventBus();
    List<MessageConsumer<JsonObject>> consumers = List.of(
        BusConsumers.register(bus, Addresses.BLOB_STAT, handlers::stat),
        BusConsumers.register(bus, Addresses.BLOB_DELETE, handlers::delete),
        BusConsumers.register(bus, Addresses.BLOB_MOUNT, handlers::mount),
        BusConsumers.register(bus, Addresses.BLOB_READ, handlers::read),
        BusConsumers.register(bus, Addresses.UPLOAD_START, handlers::startUpload),
        BusConsumers.register(bus, Addresses.UPLOAD_STATUS, handlers::uploadStatus),
        BusConsumers.register(bus, Addresses.UPLOAD_WRITE, handlers::writeUpload),
        BusConsumers.register(bus, Addresses.UPLOAD_CANCEL, handlers::cancelUpload));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }
}
