package io.berth.common.bus;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

/**
 * This process's id in the cluster: the id Vert.x routes by and the one {@link Addresses#MEMBER_LEFT} names when the
 * process leaves or dies (vertx-hazelcast keeps it as a member attribute; it is not Hazelcast's member UUID). Null on
 * a local bus, where no peer can die alone.
 */
public final class LocalNode {
  private LocalNode() {
  }

  public static String id(Vertx vertx) {
    return vertx.isClustered() ? ((VertxInternal) vertx).clusterManager().getNodeId() : null;
  }
}
