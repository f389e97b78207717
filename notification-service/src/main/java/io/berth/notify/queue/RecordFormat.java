package io.berth.notify.queue;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * One event per line: {@code <crc32 of the JSON, 8 hex digits> <JSON>\n}. Readable with {@code cut -d' ' -f2-}, and
 * a record torn by a crash (or damaged later) fails its checksum instead of being delivered half.
 */
final class RecordFormat {
  private static final int PREFIX = 9;

  private RecordFormat() {
  }

  static byte[] encode(String json) {
    if (json.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("an event record must be one line of JSON");
    }
    byte[] data = json.getBytes(StandardCharsets.UTF_8);
    byte[] record = new byte[PREFIX + data.length + 1];
    byte[] checksum = String.format("%08x ", crc(data, 0, data.length)).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(checksum, 0, record, 0, PREFIX);
    System.arraycopy(data, 0, record, PREFIX, data.length);
    record[record.length - 1] = '\n';
    return record;
  }

  /** The JSON of a line (without its newline), or null when the line is not an intact record. */
  static String decode(byte[] line) {
    if (line.length < PREFIX || line[PREFIX - 1] != ' ') {
      return null;
    }
    long expected;
    try {
      expected = Long.parseLong(new String(line, 0, PREFIX - 1, StandardCharsets.US_ASCII), 16);
    } catch (NumberFormatException e) {
      return null;
    }
    if (crc(line, PREFIX, line.length - PREFIX) != expected) {
      return null;
    }
    return new String(line, PREFIX, line.length - PREFIX, StandardCharsets.UTF_8);
  }

  private static long crc(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }
}
