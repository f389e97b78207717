package io.berth.manifest;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusClient;
import io.berth.common.bus.BusConsumers;
import io.berth.common.config.RegistryConfig;
import io.berth.common.event.EventPublisher;
import io.berth.common.event.EventSource;
import io.berth.common.event.TargetUrls;
import io.berth.common.metrics.Metrics;
import io.berth.common.storage.FileSystemStorageDriver;
import io.berth.common.storage.MeteredStorageDriver;
import io.berth.common.storage.StorageDriver;
import io.berth.manifest.bus.ManifestBusHandlers;
import io.berth.manifest.bus.ManifestEvents;
import io.berth.manifest.store.CatalogLister;
import io.berth.manifest.store.ManifestCache;
import io.berth.manifest.store.ManifestStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Wires the manifest service: its bus consumers over the configured storage, publishing registry events. */
public final class ManifestVerticle extends VerticleBase {
  private final RegistryConfig config;
  private final ManifestCache cache;
  private final Metrics metrics;

  public ManifestVerticle(RegistryConfig config, ManifestCache cache) {
    this(config, cache, Metrics.disabled());
  }

  /** {@code cache} is shared by all instances in one process; other processes' changes arrive as invalidations. */
  public ManifestVerticle(RegistryConfig config, ManifestCache cache, Metrics metrics) {
    this.config = config;
    this.cache = cache;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> EventSource.of(config.http())).compose(this::register);
  }

  private Future<?> register(EventSource source) {
    StorageDriver driver = new MeteredStorageDriver(
        new FileSystemStorageDriver(vertx, config.storage().rootDirectory()), metrics, "filesystem");
    EventBus bus = vertx.eventBus();
    BusClient client = new BusClient(bus, BusClient.DEFAULT_TIMEOUT_MS, metrics);
    ManifestEvents events = new ManifestEvents(new EventPublisher(bus, source, new TargetUrls(config.http())));
    ManifestBusHandlers handlers = new ManifestBusHandlers(client,
        new ManifestStore(driver, cache, config.gc().refreshAfter()), cache, new CatalogLister(driver),
        config.storage().deleteEnabled(), events);
    return Future.all(List.of(
        BusConsumers.registerWithRequest(bus, Addresses.MANIFEST_GET, handlers::get).completion(),
        BusConsumers.registerWithRequest(bus, Addresses.MANIFEST_PUT, handlers::put).completion(),
        BusConsumers.registerWithRequest(bus, Addresses.MANIFEST_DELETE, handlers::delete).completion(),
        BusConsumers.register(bus, Addresses.TAG_LIST, handlers::tags).completion(),
        BusConsumers.register(bus, Addresses.CATALOG, handlers::catalog).completion(),
        BusConsumers.register(bus, Addresses.REFERRERS, handlers::referrers).completion(),
        BusConsumers.register(bus, Addresses.REPOSITORY_DELETE, handlers::deleteRepository).completion(),
        bus.<JsonObject>consumer(Addresses.MANIFEST_INVALIDATE, handlers::invalidated)
            .completion()));
  }
}
