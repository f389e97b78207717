package io.berth.manifest.store;

import io.vertx.core.Vertx;

/** How far the manifest service may trust its {@link ManifestCache}; chosen once per process, at start. */
public enum CachePolicy {
  /**
   * Every writer of the storage is in this process (the all-in-one): tags and manifests are answered from the cache,
   * which writers invalidate synchronously.
   */
  LOCAL,
  /**
   * Other processes write the same storage. A message telling this one of their change could arrive after they
   * answered their client, so tags are always read from storage (one small read), and a cached manifest, immutable
   * by digest, is answered only once its repository's revision link is seen to exist (a stat): a push is visible and
   * a delete final on every process as soon as the client has its answer.
   */
  SHARED;

  /** {@link #SHARED} on a clustered event bus, where other manifest-service processes may write the storage. */
  public static CachePolicy of(Vertx vertx) {
    return vertx.isClustered() ? SHARED : LOCAL;
  }
}
