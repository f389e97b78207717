package io.berth.common.metrics;

import io.berth.common.config.DebugConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The process's one meter registry behind the meter kinds Berth uses. The launcher creates it and hands it to every
 * verticle; nothing reaches it through static state.
 *
 * <p>Names are dotted Micrometer names under {@code berth.} (and {@code registry.} for distribution's series, see
 * {@link DistributionMetrics}); the Prometheus registry renders them by its conventions: a counter
 * {@code berth.http.requests} as {@code berth_http_requests_total}, a counter ending in {@code .bytes} as
 * {@code …_bytes_total}, a timer as a {@code …_seconds} histogram, a summary as a {@code …_<unit>} histogram, a gauge
 * as is. Tags are key, value pairs; a value must come from a small, fixed set (an endpoint template, an action, a
 * status, a configured endpoint name), never a digest or upload id, each of which would make a new time series; a
 * repository name only in a {@link #multiGauge} whose rows are capped (the largest repositories).
 */
public final class Metrics {
  /** Histogram buckets from 0.5 ms to 60 s: storage and bus calls at the low end, blob transfers at the high end. */
  private static final Duration[] LATENCY_BUCKETS = {Duration.ofNanos(500_000), Duration.ofMillis(1),
      Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(60)};

  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;
  private final Map<String, AtomicLong> levels = new ConcurrentHashMap<>();

  private Metrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
    this.registry = registry;
    this.prometheus = prometheus;
  }

  /** Meters kept for a Prometheus scrape. */
  public static Metrics prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return new Metrics(registry, registry);
  }

  /** Meters that record nothing: a composite registry without members hands out no-op meters. */
  public static Metrics disabled() {
    return new Metrics(new CompositeMeterRegistry(), null);
  }

  /** Prometheus meters when {@code http.debug.prometheus.enabled}, else no-op meters. */
  public static Metrics forConfig(DebugConfig debug) {
    return debug.prometheusEnabled() ? prometheus() : disabled();
  }

  public boolean enabled() {
    return prometheus != null;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The registry to scrape, when metrics are enabled. */
  public Optional<PrometheusMeterRegistry> prometheusRegistry() {
    return Optional.ofNullable(prometheus);
  }

  /**
   * A builder for the process's Vert.x that also records Vert.x's own meters (HTTP server, event bus, worker pools,
   * JVM) into this registry, when metrics are enabled. Vert.x Micrometer keeps registries in a static map by name and
   * hands an existing entry to a second Vert.x of the same name, so each Vert.x gets a name of its own; closing that
   * Vert.x closes the registry.
   */
  public VertxBuilder vertxBuilder(VertxOptions options) {
    if (prometheus == null) {
      return Vertx.builder().with(options);
    }
    MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setRegistryName("berth-" + UUID.randomUUID());
    return Vertx.builder().with(options.setMetricsOptions(metricsOptions))
        .withMetrics(new MicrometerMetricsFactory(registry));
  }

  public Counter counter(String name, String description, String... tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }

  /** A latency histogram with buckets from 0.5 ms to 60 s. */
  public Timer timer(String name, String description, String... tags) {
    return timer(name, description, LATENCY_BUCKETS, tags);
  }

  /** A latency histogram with the given bucket bounds. */
  public Timer timer(String name, String description, Duration[] buckets, String... tags) {
    return Timer.builder(name).description(description).tags(tags)
        .serviceLevelObjectives(buckets)
        .register(registry);
  }

  /** A histogram of sizes in {@code baseUnit} (rendered {@code name_<unit>}) with the given bucket bounds. */
  public DistributionSummary summary(String name, String description, String baseUnit, double[] buckets,
      String... tags) {
    return DistributionSummary.builder(name).description(description).baseUnit(baseUnit).tags(tags)
        .serviceLevelObjectives(buckets)
        .register(registry);
  }

  /** Records {@code nanos} into {@link #timer}. */
  public void record(long nanos, String name, String description, String... tags) {
    timer(name, description, tags).record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * A gauge that reads {@code state} when scraped. The registry holds {@code state} weakly: the caller keeps it
   * alive. One gauge per name and tags: a second registration with another state object is ignored, so register a
   * process-wide state once (not once per verticle instance).
   */
  public <T> T gauge(String name, String description, T state, ToDoubleFunction<T> value, String... tags) {
    Gauge.builder(name, state, value).description(description).tags(tags).register(registry);
    return state;
  }

  /**
   * The one value behind a gauge of this name and tags in this process, created with the gauge on first use: every
   * verticle instance that asks gets the same counter to move up and down (requests in flight, say).
   */
  public AtomicLong level(String name, String description, String... tags) {
    return levels.computeIfAbsent(name + " " + String.join(" ", tags),
        created -> gauge(name, description, new AtomicLong(), AtomicLong::get, tags));
  }

  /** A gauge whose series (one per tag set) are replaced as a whole: series left out of an update disappear. */
  public MultiGauge multiGauge(String name, String description, String baseUnit) {
    return MultiGauge.builder(name).description(description).baseUnit(baseUnit).register(registry);
  }
}
