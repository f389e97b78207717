package io.berth.notify.endpoint;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * distribution's {@code ignoredSink}: an event is not sent to the endpoint when its target's media type is ignored
 * ({@code ignore.mediatypes} together with the legacy {@code ignoredmediatypes}) or its action is
 * ({@code ignore.actions}).
 */
record EventFilter(Set<String> mediaTypes, Set<String> actions) {
  boolean ignores(JsonObject event) {
    JsonObject target = event.getJsonObject("target", new JsonObject());
    String mediaType = target.getString("mediaType");
    return (mediaType != null && mediaTypes.contains(mediaType)) || actions.contains(event.getString("action"));
  }
}
