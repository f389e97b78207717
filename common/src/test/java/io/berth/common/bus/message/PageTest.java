package io.berth.common.bus.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageTest {
  private static final List<String> SORTED = List.of("alpha", "beta", "delta", "gamma", "omega");

  @Test
  void minusOneAnswersEverythingWithNothingMore() {
    assertEquals(new Page(SORTED, false), Page.of(SORTED, -1, null));
  }

  @Test
  void nAnswersTheFirstNAndSaysMoreFollow() {
    assertEquals(new Page(List.of("alpha", "beta"), true), Page.of(SORTED, 2, null));
  }

  @Test
  void exactlyNRemainingAnswersThemWithNothingMore() {
    assertEquals(new Page(SORTED, false), Page.of(SORTED, 5, null));
  }

  @Test
  void lastStartsThePageAfterThatEntry() {
    assertEquals(new Page(List.of("delta", "gamma"), true), Page.of(SORTED, 2, "beta"));
    assertEquals(new Page(List.of("omega"), false), Page.of(SORTED, 2, "gamma"));
  }

  @Test
  void lastNeedNotBeAnEntry() {
    assertEquals(new Page(List.of("delta", "gamma", "omega"), false), Page.of(SORTED, -1, "charlie"));
  }

  @Test
  void lastAtOrPastTheEndAnswersAnEmptyPage() {
    assertEquals(new Page(List.of(), false), Page.of(SORTED, 3, "omega"));
    assertEquals(new Page(List.of(), false), Page.of(SORTED, 3, "zulu"));
  }

  @Test
  void zeroAnswersNoEntries() {
    assertEquals(List.of(), Page.of(SORTED, 0, null).items());
  }

  @Test
  void anEmptyListAnswersAnEmptyPage() {
    assertEquals(new Page(List.of(), false), Page.of(List.of(), 10, null));
  }

  @Test
  void jsonRoundTripKeepsItemsAndMore() {
    Page page = new Page(List.of("a/b", "c"), true);

    JsonObject json = page.toJson();

    assertEquals(new JsonObject("{\"items\":[\"a/b\",\"c\"],\"more\":true}"), json);
    assertEquals(page, Page.fromJson(json));
  }
}
