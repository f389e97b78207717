package io.berth.common.event;

import io.berth.common.config.HttpConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * The node that emits events, distribution's {@code source} record: the host name with the port of {@code http.addr},
 * and an instance id that is one UUID per process, so a receiver can tell a restart from the same node's earlier run.
 */
public record EventSource(String addr, String instanceId) {
  private static final String INSTANCE_ID = UUID.randomUUID().toString();

  /** This process's id, also on every log line as {@code instance.id}. */
  public static String processInstanceId() {
    return INSTANCE_ID;
  }

  /** May block while the host name resolves: call it off the event loop. */
  public static EventSource of(HttpConfig http) {
    return new EventSource(hostname() + ":" + http.port(), INSTANCE_ID);
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
