package io.berth.gateway.health;

import io.berth.common.config.HealthConfig;
import io.vertx.core.Future;
import io.vertx.core.net.NetClient;

/** distribution's {@code checks.TCPChecker}: a TCP connection to the address must open; it is closed at once. */
final class TcpCheck {
  private final NetClient client;
  private final HealthConfig.TcpCheck check;

  /** {@code client} carries the check's connect timeout. */
  TcpCheck(NetClient client, HealthConfig.TcpCheck check) {
    this.client = client;
    this.check = check;
  }

  Future<Void> run() {
    return client.connect(check.port(), check.host())
        .recover(failure -> Future.failedFuture(check.addr() + ": connection failed: " + failure.getMessage()))
        .compose(socket -> socket.close());
  }
}
