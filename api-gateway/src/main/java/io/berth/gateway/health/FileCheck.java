package io.berth.gateway.health;

import io.berth.common.config.HealthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.NoSuchFileException;

/**
 * distribution's {@code checks.FileChecker}: fails while the file exists ("file exists"), so that creating a file
 * takes a registry out of rotation; a stat that fails otherwise than with "no such file" fails the check with it.
 */
final class FileCheck {
  private final Vertx vertx;
  private final String path;

  FileCheck(Vertx vertx, HealthConfig.FileCheck check) {
    this.vertx = vertx;
    this.path = check.file().toAbsolutePath().toString();
  }

  Future<Void> run() {
    return vertx.fileSystem().props(path).transform(stat -> {
      if (stat.succeeded()) {
        return Future.failedFuture("file exists");
      }
      return stat.cause().getCause() instanceof NoSuchFileException ? Future.succeededFuture()
          : Future.failedFuture(stat.cause());
    });
  }
}
