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
import io.berth.manifest.store.CachePolicy;
import io.berth.manifest.store.CatalogLister;
import io.berth.manifest.store.ManifestCache;
import io.berth.manifest.store.ManifestStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Wires the manifest service: its bus consumers over the configured storage, publishing registry events. */
public final class ManifestVerticle extends VerticleBase {
  private final RegistryConfig config;
  private final ManifestCache cache;
  private final Metrics metrics;
  private final CachePolicy policy;

  public ManifestVerticle(RegistryConfig config, ManifestCache cache) {
    this(config, cache, Metrics.disabled());
  }

  /**
   * {@code cache} is shared by all instances in one process; it is trusted as {@link CachePolicy#of} decides for
   * the Vert.x this verticle is deployed on.
   */
  public ManifestVerticle(RegistryConfig config, ManifestCache cache, Metrics metrics) {
    this(config, cache, metrics, null);
  }

  /** {@code policy} null: {@link CachePolicy#of} this verticle's Vert.x. */
  public ManifestVerticle(RegistryConfig config, ManifestCache cache, Metrics metrics, CachePolicy policy) {
    this.config = config;
    this.cache = cache;
    this.metrics = metrics;
    this.policy = policy;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> EventSource.of(config.http())).compose(this::register);
  }

  private Future<?> register(EventSource source) {
    StorageDriver driver = new MeteredStorageDriver(
        FileSystemStorageDriver.create(vertx, config.storage()), metrics, "filesystem");
    EventBus bus = vertx.eventBus();
    BusClient client = new BusClient(bus, BusClient.DEFAULT_TIMEOUT_MS, metrics);
    ManifestEvents events = new ManifestEvents(new EventPublisher(bus, source, new TargetUrls(config.http())));
    CachePolicy trust = policy == null ? CachePolicy.of(vertx) : policy;
    ManifestBusHandlers handlers = new ManifestBusHandlers(client,
        new ManifestStore(driver, cache, config.gc().refreshAfter(), trust), cache, new CatalogLister(driver),
        config.storage().deleteEnabled(), events);
    List<Future<Void>> registered = new ArrayList<>(List.of(
        BusConsumers.registerWithRequest(bus, Addresses.MANIFEST_GET, handlers::get).completion(),
        BusConsumers.registerWithRequest(bus, Addresses.MANIFEST_PUT, handlers::put).completion(),
        BusConsumers.registerWithRequest(bus, Addresses.MANIFEST_DELETE, handlers::delete).completion(),
        BusConsumers.register(bus, Addresses.TAG_LIST, handlers::tags).completion(),
        BusConsumers.register(bus, Addresses.CATALOG, handlers::catalog).completion(),
        BusConsumers.register(bus, Addresses.REFERRERS, handlers::referrers).completion(),
        BusConsumers.register(bus, Addresses.REPOSITORY_DELETE, handlers::deleteRepository).completion()));
    if (trust == CachePolicy.LOCAL) {
      // A shared cache needs no telling: it checks the revision link the collector deleted.
      registered.add(bus.<JsonObject>localConsumer(Addresses.GC_COMPLETED, handlers::collected).completion());
    }
    return Future.all(registered);
  }
}
