package io.berth.common.bus.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class EmptyTest {
  @Test
  void itIsAnEmptyObjectOnTheWireNeverNull() {
    assertEquals(new JsonObject(), new Empty().toJson());
    assertEquals(new Empty(), Empty.fromJson(new JsonObject().put("anything", "ignored")));
  }
}
