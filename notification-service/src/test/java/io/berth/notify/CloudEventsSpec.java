package io.berth.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * The rules of CloudEvents 1.0 (spec.md, formats/json-format.md) that a structured JSON event must follow: the four
 * required attributes as non-empty strings, specversion 1.0, source a URI-reference, time an RFC 3339 timestamp,
 * attribute names of lower-case letters and digits, not both data and data_base64.
 */
final class CloudEventsSpec {
  private static final Set<String> REQUIRED = Set.of("id", "source", "specversion", "type");

  private CloudEventsSpec() {
  }

  static void assertValid(JsonObject event) {
    for (String attribute : REQUIRED) {
      Object value = event.getValue(attribute);
      assertInstanceOf(String.class, value, attribute + " is required and a string");
      assertFalse(((String) value).isEmpty(), attribute + " must not be empty");
    }
    assertEquals("1.0", event.getString("specversion"));
    try {
      new URI(event.getString("source"));
    } catch (URISyntaxException e) {
      fail("source is not a URI-reference: " + event.getString("source"));
    }
    for (String name : event.fieldNames()) {
      if (!name.equals("data") && !name.equals("data_base64")) {
        assertTrue(name.matches("[a-z0-9]{1,20}"), "attribute name " + name);
        assertInstanceOf(String.class, event.getValue(name), "attribute " + name + " is a string here");
      }
    }
    if (event.containsKey("time")) {
      try {
        OffsetDateTime.parse(event.getString("time"), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      } catch (DateTimeParseException e) {
        fail("time is not RFC 3339: " + event.getString("time"));
      }
    }
    if (event.containsKey("subject")) {
      assertFalse(event.getString("subject").isEmpty(), "subject must not be empty");
    }
    assertFalse(event.containsKey("data") && event.containsKey("data_base64"), "data and data_base64 exclude each other");
  }
}
