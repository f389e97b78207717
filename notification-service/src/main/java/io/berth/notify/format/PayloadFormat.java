package io.berth.notify.format;

import io.berth.common.config.NotificationsConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** How one event becomes the body of one webhook request, and that body's content type. */
public interface PayloadFormat {
  String contentType();

  Buffer body(JsonObject event);

  /** {@code source} is the CloudEvents source attribute; the distribution formats do not use it. */
  static PayloadFormat of(NotificationsConfig.Format format, String source) {
    return switch (format) {
      case V1 -> new DistributionEnvelope(DistributionEnvelope.V1);
      case V2 -> new DistributionEnvelope(DistributionEnvelope.V2);
      case CLOUDEVENTS -> new CloudEvent(source);
    };
  }
}
