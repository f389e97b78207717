package io.berth.blob.gc;

import io.berth.common.boot.LoggingSetup;
import io.berth.common.config.LogConfig;
import io.berth.common.testing.TestClusters;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster member in a JVM of its own that takes the online collector's lock and keeps it until it is killed, as a
 * collector killed mid-round would: {@code <cluster name> <member port> <port to join>}.
 */
public final class CollectorLockHolder {
  private static final Logger LOG = LoggerFactory.getLogger(CollectorLockHolder.class);

  private CollectorLockHolder() {
  }

  public static void main(String[] args) throws Exception {
    LoggingSetup.apply(new LogConfig("info", "text"));
    Vertx vertx = TestClusters.member(args[0], Integer.parseInt(args[1]), List.of(Integer.parseInt(args[2])))
        .await(60, TimeUnit.SECONDS);
    vertx.sharedData().getLock(OnlineCollector.LOCK).await(60, TimeUnit.SECONDS);
    LOG.info("holding the lock {} [port: {}]", OnlineCollector.LOCK, args[1]);
  }
}
