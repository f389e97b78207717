package io.berth.common.bus;

import java.util.UUID;

/** Every event-bus address of the registry, versioned so that a contract change gets a new name. */
public final class Addresses {
  public static final String BLOB_STAT = "blob.v1.stat";
  public static final String BLOB_DELETE = "blob.v1.delete";
  public static final String BLOB_READ = "blob.v1.read";
  public static final String BLOB_MOUNT = "blob.v1.mount";
  public static final String UPLOAD_START = "blob.v1.upload.start";
  public static final String UPLOAD_STATUS = "blob.v1.upload.status";
  public static final String UPLOAD_WRITE = "blob.v1.upload.write";
  public static final String UPLOAD_CANCEL = "blob.v1.upload.cancel";
  /**
   * The header of a message sent to one process's own address ({@link #uploadOwner}): the shared address whose
   * operation it asks for.
   */
  public static final String OPERATION_HEADER = "berth-operation";
  /** The blob service's health checks (it owns storage); answers a {@code HealthStatus}, never fails for bad health. */
  public static final String HEALTH = "blob.v1.health";
  /** Published by the online garbage collector after each run, with the run's counts and the manifests it deleted. */
  public static final String GC_COMPLETED = "blob.v1.gc.completed";

  public static final String MANIFEST_GET = "manifest.v1.get";
  public static final String MANIFEST_PUT = "manifest.v1.put";
  public static final String MANIFEST_DELETE = "manifest.v1.delete";
  public static final String TAG_LIST = "manifest.v1.tags";
  public static final String CATALOG = "manifest.v1.catalog";
  public static final String REFERRERS = "manifest.v1.referrers";
  public static final String REPOSITORY_DELETE = "manifest.v1.repository.delete";

  public static final String EVENTS = "registry.v1.events";
  /**
   * Local to each process, never sent across the cluster: published with the Vert.x node id ({@link LocalNode}) of a
   * cluster member the moment this process learns that it left or died, so that requests waiting on it are asked again elsewhere ({@link BusRetry}).
   */
  public static final String MEMBER_LEFT = "berth.v1.member.left";

  private static final String STREAM_PREFIX = "stream.v1.";
  private static final String UPLOAD_OWNER_PREFIX = "blob.v1.upload.";

  private Addresses() {
  }

  /**
   * Where the blob-service process {@code processId} takes the operations on the sessions it created (status, write,
   * cancel), so that the process holding a session's running digest gets them (see {@link UploadIds}).
   */
  public static String uploadOwner(String processId) {
    return UPLOAD_OWNER_PREFIX + processId;
  }

  /** A fresh address for one byte stream; the receiver registers it and unregisters when the stream ends. */
  public static String newStreamAddress() {
    return STREAM_PREFIX + UUID.randomUUID();
  }
}
