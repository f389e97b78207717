package io.berth.gateway.bus;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusClient;
import io.berth.common.bus.message.Empty;
import io.berth.common.bus.message.HealthStatus;
import io.vertx.core.Future;

/** Asks a blob service for its failing health checks; fails when none answers within {@link #TIMEOUT_MS}. */
public final class HealthClient {
  /** Within a Kubernetes probe's usual timeout (1 s by default, often raised), so a stuck service reads as a 503. */
  public static final long TIMEOUT_MS = 2_000;

  private final BusClient bus;

  /** {@code bus} should time out after {@link #TIMEOUT_MS}, not the 30 s of registry requests. */
  public HealthClient(BusClient bus) {
    this.bus = bus;
  }

  public Future<HealthStatus> status() {
    return bus.request(Addresses.HEALTH, new Empty().toJson()).map(HealthStatus::fromJson);
  }
}
