package io.berth.common.event;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * The client request behind a registry operation, as distribution's events report it ({@code request} and
 * {@code actor}). The gateway attaches it to the bus requests it makes, as message headers, so that the service that
 * performs the operation can publish the event without a second round trip.
 */
public record RequestInfo(String id, String addr, String host, String method, String userAgent, String actor) {
  private static final String ID = "berth-request-id";
  private static final String ADDR = "berth-request-addr";
  private static final String HOST = "berth-request-host";
  private static final String METHOD = "berth-request-method";
  private static final String USER_AGENT = "berth-request-useragent";
  private static final String ACTOR = "berth-request-actor";

  public static final RequestInfo NONE = new RequestInfo("", "", "", "", "", "");

  public DeliveryOptions addTo(DeliveryOptions options) {
    return options.addHeader(ID, id).addHeader(ADDR, addr).addHeader(HOST, host).addHeader(METHOD, method)
        .addHeader(USER_AGENT, userAgent).addHeader(ACTOR, actor);
  }

  /** The request a bus message was sent for; {@link #NONE} when the sender attached none. */
  public static RequestInfo from(MultiMap headers) {
    if (headers == null || headers.get(ID) == null) {
      return NONE;
    }
    return new RequestInfo(headers.get(ID), headers.get(ADDR), headers.get(HOST), headers.get(METHOD),
        headers.get(USER_AGENT), headers.get(ACTOR));
  }
}
