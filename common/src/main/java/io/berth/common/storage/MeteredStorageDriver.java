package io.berth.common.storage;

import io.berth.common.metrics.DistributionMetrics;
import io.berth.common.metrics.Metrics;
import io.vertx.core.Future;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A driver that times every operation of another into {@code berth_storage_action_seconds{driver, action, outcome}}.
 * For {@code reader} and {@code writer} the time is the opening of the stream, not the transfer. The operations
 * distribution times are also recorded as its {@code registry_storage_action_seconds{driver, action}}, under its
 * action names (read is GetContent, write PutContent, …) and whatever their outcome, as distribution does.
 */
public final class MeteredStorageDriver extends InterceptedStorageDriver {
  private static final String NAME = "berth.storage.action";
  private static final String DESCRIPTION = "Storage driver operations by action and outcome";

  /** Each operation's {@code action} label: its name in lower case ({@code unfinished_writes}). */
  private static final Map<Operation, String> ACTIONS = new EnumMap<>(Operation.class);
  /** Distribution's names of the actions it times (the whole walk, its pages' handling included, as it does). */
  private static final Map<Operation, String> DISTRIBUTION_ACTIONS = new EnumMap<>(Map.of(
      Operation.READ, "GetContent", Operation.WRITE, "PutContent", Operation.STAT, "Stat", Operation.LIST, "List",
      Operation.WALK, "Walk", Operation.MOVE, "Move", Operation.DELETE, "Delete"));

  static {
    for (Operation operation : Operation.values()) {
      ACTIONS.put(operation, operation.name().toLowerCase(Locale.ROOT));
    }
  }

  private final Metrics metrics;
  private final String driverName;
  private final DistributionMetrics distribution;

  public MeteredStorageDriver(StorageDriver driver, Metrics metrics, String driverName) {
    super(driver);
    this.metrics = metrics;
    this.driverName = driverName;
    this.distribution = new DistributionMetrics(metrics);
  }

  /**
   * Times the operation under its action name; the operations distribution times also under distribution's name of
   * the action.
   */
  @Override
  protected <T> Future<T> intercept(Operation operation, String path, Supplier<Future<T>> call) {
    String action = ACTIONS.get(operation);
    String distributionAction = DISTRIBUTION_ACTIONS.get(operation);
    long start = System.nanoTime();
    return call.get().onComplete(done -> {
      long nanos = System.nanoTime() - start;
      metrics.record(nanos, NAME, DESCRIPTION, "driver", driverName, "action", action,
          "outcome", outcome(done.cause()));
      if (distributionAction != null) {
        distribution.storageAction(driverName, distributionAction, nanos);
      }
    });
  }

  private static String outcome(Throwable failure) {
    if (failure == null) {
      return "success";
    }
    return failure instanceof PathNotFoundException ? "not_found" : "error";
  }
}
