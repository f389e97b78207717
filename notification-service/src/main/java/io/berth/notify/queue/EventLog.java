package io.berth.notify.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint's queue on disk. Events are appended to segment files named by the sequence number of their first
 * event ({@code 00000000000000000042.log}); {@code cursor} holds the sequence number of the next event to deliver.
 * A segment is deleted once every event in it is behind the cursor. {@code lock} keeps a second process (or a second
 * verticle) from writing the same log.
 *
 * <p>Blocking and not thread-safe: {@link DurableQueue} runs every call on one ordered worker.
 */
final class EventLog implements AutoCloseable {
  static final long DEFAULT_SEGMENT_BYTES = 8L * 1024 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
  private static final Pattern SEGMENT = Pattern.compile("(\\d{20})\\.log");
  private static final String CURSOR = "cursor";
  private static final String LOCK = "lock";

  private final Path directory;
  private final long segmentBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final TreeMap<Long, Path> segments;
  private FileChannel writer;
  private long writerSize;
  private long head;
  private long tail;
  private boolean unsynced;
  private SegmentReader reader;
  private QueuedEvent lastRead;

  private EventLog(Path directory, long segmentBytes, FileChannel lockChannel, FileLock lock,
      TreeMap<Long, Path> segments) {
    this.directory = directory;
    this.segmentBytes = segmentBytes;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.segments = segments;
  }

  static EventLog open(Path directory, long segmentBytes) throws IOException {
    Files.createDirectories(directory);
    FileChannel lockChannel = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock = FileLocks.tryLock(lockChannel);
    if (lock == null) {
      lockChannel.close();
      throw new IOException("queue directory " + directory + " is in use by another notification service");
    }
    EventLog log = new EventLog(directory, segmentBytes, lockChannel, lock, segments(directory));
    try {
      log.recover();
      return log;
    } catch (IOException | RuntimeException e) {
      log.close();
      throw e;
    }
  }

  /**
   * Moves a log found at {@code legacy} (where the previous layout kept it) to {@code directory}, unless a log is there
   * already or a process still holds the old one; either of these is logged and the old log left where it is.
   */
  static void adopt(Path legacy, Path directory) throws IOException {
    if (!Files.isRegularFile(legacy.resolve(LOCK))) {
      return;
    }
    if (Files.exists(directory)) {
      LOG.warn("notification queue of the previous layout left unread: this instance has a queue for the endpoint "
          + "already [old queue: {}, queue: {}]", legacy, directory);
      return;
    }
    try (FileChannel lockChannel = FileChannel.open(legacy.resolve(LOCK), StandardOpenOption.WRITE)) {
      FileLock lock = FileLocks.tryLock(lockChannel);
      if (lock == null) {
        LOG.warn("notification queue of the previous layout is in use by another process; left where it is "
            + "[old queue: {}]", legacy);
        return;
      }
      try {
        Files.createDirectories(directory.getParent());
        Files.move(legacy, directory, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        lock.release();
      }
    }
    LOG.info("notification queue moved from the previous layout [old queue: {}, queue: {}]", legacy, directory);
  }

  private static TreeMap<Long, Path> segments(Path directory) throws IOException {
    TreeMap<Long, Path> segments = new TreeMap<>();
    try (Stream<Path> files = Files.list(directory)) {
      files.forEach(file -> {
        Matcher matcher = SEGMENT.matcher(file.getFileName().toString());
        if (matcher.matches()) {
          segments.put(Long.parseLong(matcher.group(1)), file);
        }
      });
    }
    return segments;
  }

  /** Finds the tail (dropping a record torn by a crash) and the cursor, and reopens the last segment for appends. */
  private void recover() throws IOException {
    Long cursor = readCursor();
    if (segments.isEmpty()) {
      long base = cursor == null ? 0 : cursor;
      segments.put(base, create(base));
      head = base;
      tail = base;
    } else {
      // Every segment but the last was forced to disk before the next one was started, so only the last can be torn.
      Map.Entry<Long, Path> last = segments.lastEntry();
      tail = last.getKey() + recoverSegment(last.getValue());
      head = cursor == null ? segments.firstKey() : cursor;
    }
    if (head < segments.firstKey()) {
      LOG.warn("notification queue cursor is behind the oldest event kept; delivering from the oldest [queue: {}]",
          directory);
      head = segments.firstKey();
    }
    if (head > tail) {
      // The cursor survived a power loss that the newest events did not: they were delivered, so start after them.
      LOG.warn("notification queue lost events already delivered; continuing after them [queue: {}]", directory);
      tail = head;
      segments.put(head, create(head));
    }
    Path current = segments.lastEntry().getValue();
    writer = FileChannel.open(current, StandardOpenOption.WRITE);
    writerSize = writer.size();
    writer.position(writerSize);
    compact();
  }

  private Long readCursor() throws IOException {
    Path file = directory.resolve(CURSOR);
    if (!Files.exists(file)) {
      return null;
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      LOG.warn("notification queue cursor unreadable; delivering from the oldest event kept [queue: {}]", directory);
      return null;
    }
  }

  /** Counts the intact records of a segment and cuts off whatever follows the last one. */
  private long recoverSegment(Path segment) throws IOException {
    long count = 0;
    long intactBytes = 0;
    try (SegmentReader lines = new SegmentReader(segment, 0)) {
      SegmentReader.Line line;
      while ((line = lines.readLine()) != null && line.complete() && RecordFormat.decode(line.bytes()) != null) {
        count++;
        intactBytes = lines.offset();
      }
    }
    long size = Files.size(segment);
    if (size > intactBytes) {
      LOG.warn("notification queue: dropping {} bytes of a torn record at the end of {}", size - intactBytes, segment);
      try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
        channel.truncate(intactBytes);
        channel.force(true);
      }
    }
    return count;
  }

  private Path create(long base) throws IOException {
    Path file = directory.resolve(String.format("%020d.log", base));
    Files.newByteChannel(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
    return file;
  }

  /** The sequence number of the next event to deliver. */
  long head() {
    return head;
  }

  /** The sequence number the next appended event gets. */
  long tail() {
    return tail;
  }

  long pending() {
    return tail - head;
  }

  /** Writes the event (to the page cache: {@link #sync} makes it durable) and returns its sequence number. */
  long append(String json) throws IOException {
    byte[] record = RecordFormat.encode(json);
    if (writerSize >= segmentBytes && tail > segments.lastKey()) {
      roll();
    }
    ByteBuffer buffer = ByteBuffer.wrap(record);
    while (buffer.hasRemaining()) {
      writer.write(buffer);
    }
    writerSize += record.length;
    unsynced = true;
    return tail++;
  }

  void sync() throws IOException {
    if (unsynced) {
      writer.force(false);
      unsynced = false;
    }
  }

  private void roll() throws IOException {
    sync();
    writer.close();
    Path next = create(tail);
    segments.put(tail, next);
    writer = FileChannel.open(next, StandardOpenOption.WRITE);
    writerSize = 0;
    compact();
  }

  /** The event at the head, if any; its record read back from disk unless it was the last one read. */
  Optional<QueuedEvent> peek() throws IOException {
    if (head == tail) {
      return Optional.empty();
    }
    if (lastRead != null && lastRead.sequence() == head) {
      return Optional.of(lastRead);
    }
    SegmentReader.Line line = positionReader(head) ? reader.readLine() : null;
    String json = line != null && line.complete() ? RecordFormat.decode(line.bytes()) : null;
    if (json == null) {
      LOG.error("notification queue: the record of event {} cannot be read back [queue: {}]", head, directory);
      closeReader();
    }
    lastRead = new QueuedEvent(head, json);
    return Optional.of(lastRead);
  }

  /** Moves the reader to {@code sequence}; false when its segment ends before it. */
  private boolean positionReader(long sequence) throws IOException {
    long base = segments.floorKey(sequence);
    if (reader == null || reader.base() != base || reader.sequence() > sequence) {
      closeReader();
      reader = new SegmentReader(segments.get(base), base);
    }
    while (reader.sequence() < sequence) {
      SegmentReader.Line line = reader.readLine();
      if (line == null || !line.complete()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Moves the cursor forward to {@code sequence} (delivered, or dropped) and persists it. The cursor file is replaced
   * atomically but not forced to disk: after a power loss it may be older, which means re-delivery, never loss.
   */
  void advanceTo(long sequence) throws IOException {
    if (sequence < head || sequence > tail) {
      throw new IllegalArgumentException("cursor " + sequence + " outside [" + head + ", " + tail + "]");
    }
    if (sequence == head) {
      return;
    }
    head = sequence;
    Path temporary = directory.resolve(CURSOR + ".tmp");
    Files.writeString(temporary, Long.toString(head), StandardCharsets.US_ASCII);
    Files.move(temporary, directory.resolve(CURSOR), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    compact();
  }

  /** Drops the oldest undelivered events beyond {@code maxEvents}; returns how many. */
  long trim(long maxEvents) throws IOException {
    long excess = pending() - maxEvents;
    if (excess <= 0) {
      return 0;
    }
    advanceTo(head + excess);
    return excess;
  }

  /** Deletes the segments whose events are all behind the cursor; the one being appended to always stays. */
  private void compact() throws IOException {
    while (segments.size() > 1) {
      Map.Entry<Long, Path> oldest = segments.firstEntry();
      if (segments.higherKey(oldest.getKey()) > head) {
        return;
      }
      if (reader != null && reader.base() == oldest.getKey()) {
        closeReader();
      }
      Files.deleteIfExists(oldest.getValue());
      segments.remove(oldest.getKey());
    }
  }

  private void closeReader() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (writer != null) {
        sync();
        writer.close();
      }
      closeReader();
    } finally {
      lock.release();
      lockChannel.close();
    }
  }
}
