package io.berth.blob;

import io.berth.blob.bus.BlobBusHandlers;
import io.berth.blob.bus.BlobEvents;
import io.berth.blob.upload.UploadSessions;
import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusConsumers;
import io.berth.common.config.RegistryConfig;
import io.berth.common.event.EventPublisher;
import io.berth.common.event.EventSource;
import io.berth.common.event.TargetUrls;
import io.berth.common.metrics.Metrics;
import io.berth.common.storage.FileSystemStorageDriver;
import io.berth.common.storage.MeteredStorageDriver;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Wires the blob service: its bus consumers over the configured storage, publishing registry events. Besides the
 * shared addresses, it takes the operations on the sessions its process opened on the process's own address.
 */
public final class BlobVerticle extends VerticleBase {
  private final RegistryConfig config;
  private final UploadSessions uploads;
  private final Metrics metrics;

  public BlobVerticle(RegistryConfig config, UploadSessions uploads) {
    this(config, uploads, Metrics.disabled());
  }

  /** {@code uploads} is shared by all instances in one process, so any of them can serve any session. */
  public BlobVerticle(RegistryConfig config, UploadSessions uploads, Metrics metrics) {
    this.config = config;
    this.uploads = uploads;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> EventSource.of(config.http())).compose(this::register);
  }

  private Future<?> register(EventSource source) {
    EventBus bus = vertx.eventBus();
    BlobEvents events = new BlobEvents(new EventPublisher(bus, source, new TargetUrls(config.http())));
    BlobBusHandlers handlers = new BlobBusHandlers(vertx, new MeteredStorageDriver(
        FileSystemStorageDriver.create(vertx, config.storage()), metrics, "filesystem"), uploads,
        config.storage().deleteEnabled(), config.gc().refreshAfter(), events);
    List<MessageConsumer<JsonObject>> consumers = List.of(
        BusConsumers.registerWithRequest(bus, Addresses.BLOB_STAT, handlers::stat),
        BusConsumers.registerWithRequest(bus, Addresses.BLOB_DELETE, handlers::delete),
        BusConsumers.registerWithRequest(bus, Addresses.BLOB_MOUNT, handlers::mount),
        BusConsumers.register(bus, Addresses.BLOB_READ, handlers::read),
        BusConsumers.register(bus, Addresses.UPLOAD_START, handlers::startUpload),
        BusConsumers.register(bus, Addresses.UPLOAD_STATUS, handlers::uploadStatus),
        BusConsumers.registerWithRequest(bus, Addresses.UPLOAD_WRITE, handlers::writeUpload),
        BusConsumers.register(bus, Addresses.UPLOAD_CANCEL, handlers::cancelUpload),
        BusConsumers.registerOperations(bus, Addresses.uploadOwner(uploads.id()), Map.of(
            Addresses.UPLOAD_STATUS, (body, client) -> handlers.uploadStatus(body),
            Addresses.UPLOAD_WRITE, handlers::writeUpload,
            Addresses.UPLOAD_CANCEL, (body, client) -> handlers.cancelUpload(body))));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }
}
