package io.berth.common.auth;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.function.Supplier;

/**
 * Login state that every verticle instance of a process shares (they are many for the gateway): kept in one local
 * map of the process's Vert.x, so a second instance finds the first one's instead of starting afresh.
 */
final class ProcessShared {
  private static final String MAP = "berth.auth";

  private ProcessShared() {
  }

  /** A local map holds only immutable or {@link Shareable} values; this one hands the same object to every caller. */
  private record Holder(Object value) implements Shareable {
  }

  @SuppressWarnings("unchecked")
  static <T> T get(Vertx vertx, String key, Supplier<T> create) {
    return (T) vertx.sharedData().<String, Holder>getLocalMap(MAP)
        .computeIfAbsent(key, absent -> new Holder(create.get())).value();
  }
}
