package io.berth.launcher.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/** One registry answer, with the checks every conformance test makes of answers. */
record OciResponse(String request, int status, HttpHeaders headers, byte[] body) {

  /** The first value of a header, or null. */
  String header(String name) {
    return headers.firstValue(name).orElse(null);
  }

  /** The path of the Location header, whether the registry made it absolute or relative. */
  String locationPath() {
    String location = header("Location");
    assertNotNull(location, () -> request + ": no Location header");
    return URI.create(location).getPath();
  }

  JsonObject json() {
    return new JsonObject(new String(body, StandardCharsets.UTF_8));
  }

  OciResponse assertStatus(int expected) {
    assertEquals(expected, status,
        () -> request + " answered " + status + ": " + new String(body, StandardCharsets.UTF_8));
    return this;
  }

  OciResponse assertHeader(String name, String expected) {
    assertEquals(expected, header(name), () -> request + ": header " + name);
    return this;
  }

  OciResponse assertBody(byte[] expected) {
    assertArrayEquals(expected, body, () -> request + ": body");
    return this;
  }

  OciResponse assertNoBody() {
    assertEquals(0, body.length, () -> request + ": a body where none belongs");
    return this;
  }

  /**
   * The spec's error envelope: {@code {"errors":[{"code","message"}]}} with a code of upper case letters and
   * underscores; a HEAD answer carries the status alone.
   */
  OciResponse assertError(int expectedStatus, String expectedCode) {
    assertStatus(expectedStatus);
    if (request.startsWith("HEAD ")) {
      return assertNoBody();
    }
    assertTrue(header("Content-Type").startsWith("application/json"), () -> request + ": error Content-Type");
    JsonArray errors = json().getJsonArray("errors");
    assertFalse(errors.isEmpty(), () -> request + ": empty errors list");
    JsonObject error = errors.getJsonObject(0);
    assertEquals(expectedCode, error.getString("code"), () -> request + ": error code in " + error);
    assertTrue(error.getString("code").matches("[A-Z_]+"), () -> request + ": code shape");
    assertInstanceOf(String.class, error.getValue("message"), () -> request + ": message");
    return this;
  }
}
