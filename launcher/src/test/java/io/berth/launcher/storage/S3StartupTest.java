package io.berth.launcher.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.berth.common.config.RegistryConfig;
import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import io.berth.launcher.EmbeddedRegistry;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A registry starting on S3 builds its S3 client off the event loops: building it loads and starts the SDK, which took
 * an event loop for seconds on a cold JVM (Vert.x's blocked-thread warnings), and with no access key configured the
 * credential chain's first answer may wait on the network. Vert.x is told to warn of any event-loop task over 500 ms.
 */
class S3StartupTest {
  @S3Server
  private static S3TestServer s3;

  private static ListAppender<ILoggingEvent> capture(String loggerName) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
    logger.setLevel(Level.INFO);
    logger.addAppender(appender);
    return appender;
  }

  private static void release(String loggerName, ListAppender<ILoggingEvent> appender) {
    Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
    logger.detachAppender(appender);
    logger.setLevel(null);
  }

  /** The warning with where the event loop was, which says what blocked it. */
  private static String withStack(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(event.getFormattedMessage());
    if (event.getThrowableProxy() != null) {
      for (var frame : event.getThrowableProxy().getStackTraceElementProxyArray()) {
        line.append("\n  ").append(frame.getSTEAsString());
      }
    }
    return line.toString();
  }

  @Test
  void theS3ClientIsBuiltOffTheEventLoopsAndNoEventLoopIsBlocked() throws Exception {
    ListAppender<ILoggingEvent> blocked = capture("io.vertx.core.impl.BlockedThreadChecker");
    ListAppender<ILoggingEvent> clients = capture("io.berth.common.storage.s3.S3Clients");
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setBlockedThreadCheckInterval(50).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(500).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(500).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS));
    try {
      Map<String, String> environment = s3.registryEnvironment(s3.newBucket());
      environment.put("REGISTRY_STORAGE_S3_CHUNKSIZE", Long.toString(5 * 1024 * 1024));
      RegistryConfig config = RunningRegistry.configOnDriver(vertx, environment);
      EmbeddedRegistry registry = EmbeddedRegistry.start(vertx, config).await(60, TimeUnit.SECONDS);
      registry.stop(30_000);

      List<ILoggingEvent> built = List.copyOf(clients.list).stream()
          .filter(event -> event.getFormattedMessage().startsWith("S3 client built")).toList();
      assertEquals(1, built.size(), "one client per process and configuration: " + built);
      assertFalse(built.get(0).getThreadName().contains("eventloop"),
          "the S3 client was built on " + built.get(0).getThreadName());
      assertEquals(List.of(), List.copyOf(blocked.list).stream().map(S3StartupTest::withStack).toList());
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
      release("io.vertx.core.impl.BlockedThreadChecker", blocked);
      release("io.berth.common.storage.s3.S3Clients", clients);
    }
  }
}
