package io.berth.common.boot;

import io.vertx.core.Future;

/** What a process deployed, as its shutdown sees it. */
@FunctionalInterface
public interface Deployed {
  /** Nothing that takes requests from outside: closing Vert.x is all a shutdown needs. */
  Deployed NOTHING_TO_DRAIN = Future::succeededFuture;

  /** Stops taking requests and lets in-flight ones finish; the services keep running until Vert.x closes. */
  Future<Void> drain();
}
