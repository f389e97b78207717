package io.berth.gateway.routes;

/** Whether the gateway may send a blob's bytes from its file, zero-copy, instead of streaming them over the bus. */
public enum BlobFiles {
  /** The blob service runs in this process: its files are this host's. */
  SAME_PROCESS,
  /**
   * The blob service runs elsewhere: a file of the blob's size at the path it names is sent when this process sees
   * one (a shared storage mounted at the same path), else the bytes come over the bus.
   */
  IF_VISIBLE,
  /** Always over the bus. */
  NEVER
}
