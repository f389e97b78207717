package io.berth.notify.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk log of one endpoint, on real files: order, cursor, crash recovery, compaction, the bound, the lock. */
class EventLogTest {
  private static final long LARGE = EventLog.DEFAULT_SEGMENT_BYTES;

  @TempDir
  Path directory;

  private static String event(int n) {
    return "{\"id\":\"event-" + n + "\",\"action\":\"push\"}";
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> file.getFileName().toString().endsWith(".log")).sorted().toList();
    }
  }

  private static List<String> drain(EventLog log) throws IOException {
    List<String> read = new ArrayList<>();
    Optional<QueuedEvent> next;
    while ((next = log.peek()).isPresent()) {
      read.add(next.get().json());
      log.advanceTo(next.get().sequence() + 1);
    }
    return read;
  }

  @Test
  void eventsComeBackInOrderAndTheCursorSurvivesReopening() throws IOException {
    try (EventLog log = EventLog.open(directory, LARGE)) {
      for (int i = 0; i < 5; i++) {
        assertEquals(i, log.append(event(i)));
      }
      assertEquals(new QueuedEvent(0, event(0)), log.peek().orElseThrow());
      log.advanceTo(2);
    }
    try (EventLog log = EventLog.open(directory, LARGE)) {
      assertEquals(2, log.head());
      assertEquals(5, log.tail());
      assertEquals(3, log.pending());
      assertEquals(List.of(event(2), event(3), event(4)), drain(log));
      assertEquals(Optional.empty(), log.peek());
    }
    assertEquals("5", Files.readString(directory.resolve("cursor")));
  }

  @Test
  void aRecordTornByACrashIsCutOffAndAppendsContinueAfterTheLastIntactOne() throws IOException {
    try (EventLog log = EventLog.open(directory, LARGE)) {
      for (int i = 0; i < 3; i++) {
        log.append(event(i));
      }
    }
    Path segment = segmentFiles().get(0);
    long intact = Files.size(segment);
    Files.writeString(segment, "1c291ca3 {\"id\":\"event-3\",\"act", StandardOpenOption.APPEND);

    try (EventLog log = EventLog.open(directory, LARGE)) {
      assertEquals(3, log.tail());
      assertEquals(intact, Files.size(segment));
      assertEquals(3, log.append(event(99)));
      assertEquals(List.of(event(0), event(1), event(2), event(99)), drain(log));
    }
  }

  @Test
  void aDamagedRecordIsReportedUnreadableAndTheNextOnesStillRead() throws IOException {
    try (EventLog log = EventLog.open(directory, 1)) {
      for (int i = 0; i < 3; i++) {
        log.append(event(i));
      }
    }
    List<Path> segments = segmentFiles();
    assertEquals(3, segments.size());
    Files.writeString(segments.get(1), Files.readString(segments.get(1)).replace("event-1", "event-X"));

    try (EventLog log = EventLog.open(directory, 1)) {
      assertEquals(event(0), log.peek().orElseThrow().json());
      log.advanceTo(1);
      QueuedEvent damaged = log.peek().orElseThrow();
      assertEquals(1, damaged.sequence());
      assertFalse(damaged.readable());
      log.advanceTo(2);
      assertEquals(event(2), log.peek().orElseThrow().json());
    }
  }

  @Test
  void segmentsWhoseEventsAreAllDeliveredAreDeletedButTheOneBeingWrittenStays() throws IOException {
    try (EventLog log = EventLog.open(directory, 200)) {
      for (int i = 0; i < 40; i++) {
        log.append(event(i));
      }
      int written = segmentFiles().size();
      assertTrue(written > 5, "segments: " + written);

      log.advanceTo(20);
      assertTrue(segmentFiles().size() < written, "segments: " + segmentFiles());
      assertEquals(event(20), log.peek().orElseThrow().json());
      long oldestKept = Long.parseLong(segmentFiles().get(0).getFileName().toString().substring(0, 20));
      assertTrue(oldestKept <= 20 && oldestKept > 10, "oldest segment kept starts at " + oldestKept);

      log.advanceTo(40);
      assertEquals(1, segmentFiles().size());
    }
    try (EventLog log = EventLog.open(directory, 200)) {
      assertEquals(0, log.pending());
      assertEquals(40, log.append(event(40)));
    }
  }

  @Test
  void trimDropsTheOldestUndeliveredEventsBeyondTheBound() throws IOException {
    try (EventLog log = EventLog.open(directory, LARGE)) {
      for (int i = 0; i < 10; i++) {
        log.append(event(i));
      }
      assertEquals(0, log.trim(10));
      assertEquals(7, log.trim(3));
      assertEquals(List.of(event(7), event(8), event(9)), drain(log));
    }
  }

  @Test
  void aSecondOpenOfTheSameDirectoryFailsWhileTheFirstHoldsIt() throws IOException {
    try (EventLog first = EventLog.open(directory, LARGE)) {
      first.append(event(0));
      IOException refused = assertThrows(IOException.class, () -> EventLog.open(directory, LARGE));
      assertTrue(refused.getMessage().contains("in use by another notification service"), refused.getMessage());
    }
    try (EventLog again = EventLog.open(directory, LARGE)) {
      assertEquals(1, again.pending());
    }
  }

  @Test
  void aCursorAheadOfALogThatLostItsTailContinuesAfterTheCursor() throws IOException {
    try (EventLog log = EventLog.open(directory, LARGE)) {
      for (int i = 0; i < 3; i++) {
        log.append(event(i));
      }
    }
    Files.writeString(directory.resolve("cursor"), "10", StandardCharsets.US_ASCII);

    try (EventLog log = EventLog.open(directory, LARGE)) {
      assertEquals(10, log.head());
      assertEquals(0, log.pending());
      assertEquals(10, log.append(event(10)));
      assertEquals(List.of(event(10)), drain(log));
    }
  }

  @Test
  void anUnreadableCursorMeansDeliveringFromTheOldestEventKept() throws IOException {
    try (EventLog log = EventLog.open(directory, LARGE)) {
      log.append(event(0));
      log.append(event(1));
      log.advanceTo(1);
    }
    Files.writeString(directory.resolve("cursor"), "garbage", StandardCharsets.US_ASCII);

    try (EventLog log = EventLog.open(directory, LARGE)) {
      assertEquals(List.of(event(0), event(1)), drain(log));
    }
  }

  @Test
  void recordsAreOneCheckedLinePerEvent() throws IOException {
    try (EventLog log = EventLog.open(directory, LARGE)) {
      log.append(event(0));
      assertThrows(IllegalArgumentException.class, () -> log.append("{\n}"));
    }
    String line = Files.readString(segmentFiles().get(0));
    assertTrue(line.matches("[0-9a-f]{8} \\{\"id\":\"event-0\",\"action\":\"push\"}\n"), line);
    assertEquals(event(0), RecordFormat.decode(line.substring(0, line.length() - 1).getBytes(StandardCharsets.UTF_8)));
  }
}
