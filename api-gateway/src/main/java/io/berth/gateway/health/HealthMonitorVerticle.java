package io.berth.gateway.health;

import io.berth.common.bus.BusClient;
import io.berth.common.config.HealthConfig;
import io.berth.common.health.PeriodicCheck;
import io.berth.common.metrics.Metrics;
import io.berth.gateway.bus.HealthClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The health checks of a process that answers HTTP, one instance per process, writing {@link HealthState}: every
 * {@code health.storagedriver.interval} it asks a blob service (which owns storage and runs the storage check) for
 * its failing checks, a blob service that does not answer being itself the failing check {@value #BLOB_SERVICE}
 * (see {@link BlobServicePoll}; asked again every second after a question nobody answered); and it runs the
 * {@code health.file}, {@code health.http} and {@code health.tcp} checks itself, as distribution runs them in each
 * registry process. Starting completes once the first question to a blob service has its answer (or its failure),
 * so no request is served on a blind guess.
 */
public final class HealthMonitorVerticle extends VerticleBase {
  static final String BLOB_SERVICE = "blob_service";
  /** After a question no blob service answered (a process starting before them, say), asked again this soon. */
  private static final Duration NO_ANSWER_RETRY = Duration.ofSeconds(1);

  private final HealthConfig config;
  private final HealthState state;
  private final Metrics metrics;
  private final List<PeriodicCheck> checks = new ArrayList<>();
  private final List<NetClient> netClients = new ArrayList<>();
  private HttpClient httpClient;

  public HealthMonitorVerticle(HealthConfig config, HealthState state, Metrics metrics) {
    this.config = config;
    this.state = state;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    HealthClient blobService = new HealthClient(new BusClient(vertx.eventBus(), HealthClient.TIMEOUT_MS, metrics));
    BlobServicePoll poll = new BlobServicePoll(blobService, state);
    Duration interval = config.storageDriver().interval();
    PeriodicCheck storage = new PeriodicCheck(vertx, BLOB_SERVICE, interval,
        interval.compareTo(NO_ANSWER_RETRY) < 0 ? interval : NO_ANSWER_RETRY, config.storageDriver().threshold(),
        poll::probe, poll::report, metrics);
    for (HealthConfig.FileCheck file : config.files()) {
      check(file.name(), file.interval(), 0, new FileCheck(vertx, file)::run);
    }
    if (!config.http().isEmpty()) {
      httpClient = vertx.createHttpClient();
    }
    for (HealthConfig.HttpCheck http : config.http()) {
      check(http.name(), http.interval(), http.threshold(), new HttpCheck(httpClient, http)::run);
    }
    for (HealthConfig.TcpCheck tcp : config.tcp()) {
      Duration timeout = tcp.timeout().isZero() ? PeriodicCheck.probeTimeout(tcp.interval()) : tcp.timeout();
      NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) timeout.toMillis()));
      netClients.add(client);
      check(tcp.name(), tcp.interval(), tcp.threshold(), new TcpCheck(client, tcp)::run);
    }
    checks.forEach(PeriodicCheck::start);
    checks.add(storage);
    return storage.start();
  }

  private void check(String name, Duration interval, int threshold, Supplier<Future<?>> probe) {
    checks.add(new PeriodicCheck(vertx, name, interval, threshold, probe, state::report, metrics));
  }

  @Override
  public Future<?> stop() {
    checks.forEach(PeriodicCheck::stop);
    List<Future<Void>> closed = new ArrayList<>(netClients.stream().map(NetClient::close).toList());
    if (httpClient != null) {
      closed.add(httpClient.close());
    }
    return Future.all(closed);
  }
}
