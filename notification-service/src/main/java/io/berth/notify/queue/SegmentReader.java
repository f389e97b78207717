package io.berth.notify.queue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads one segment's lines in order, knowing the sequence number of the next one and its byte offset. */
final class SegmentReader implements Closeable {
  /** A line without its newline; {@code complete} is false for bytes cut short by the end of the file. */
  record Line(byte[] bytes, boolean complete) {
  }

  private final InputStream in;
  private final long base;
  private long sequence;
  private long offset;

  SegmentReader(Path file, long base) throws IOException {
    this.in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
    this.base = base;
    this.sequence = base;
  }

  long base() {
    return base;
  }

  /** The sequence number of the line {@link #readLine} returns next. */
  long sequence() {
    return sequence;
  }

  /** Bytes consumed so far: the end of the last complete line read. */
  long offset() {
    return offset;
  }

  /** The next line, or null at the end of the file; lines appended after an end was seen are read too. */
  Line readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        offset += line.size() + 1;
        sequence++;
        return new Line(line.toByteArray(), true);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : new Line(line.toByteArray(), false);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
