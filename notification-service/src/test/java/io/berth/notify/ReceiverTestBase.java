package io.berth.notify;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** One real HTTP receiver per test and the notification service each test starts against it, both closed after. */
@ExtendWith(VertxExtension.class)
abstract class ReceiverTestBase {
  @TempDir
  Path root;

  Vertx vertx;
  Receiver receiver;
  RunningNotifications notifications;

  @BeforeEach
  void startReceiver(Vertx vertx) throws Exception {
    this.vertx = vertx;
    receiver = Receiver.start(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    if (notifications != null) {
      notifications.close();
    }
    receiver.close();
  }
}
