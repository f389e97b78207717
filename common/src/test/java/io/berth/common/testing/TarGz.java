package io.berth.common.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Just enough of ustar for layers: writes a one-file archive and reads the regular files back (names with their
 * ustar prefix), so a test can check what a client really put in a layer.
 */
public final class TarGz {
  private static final int BLOCK = 512;

  private TarGz() {
  }

  /** The uncompressed tar of one regular file; its SHA-256 is the layer's diff id. */
  public static byte[] tar(String name, byte[] content) {
    byte[] header = new byte[BLOCK];
    put(header, 0, name);
    put(header, 100, "0000644");
    put(header, 108, "0000000");
    put(header, 116, "0000000");
    put(header, 124, String.format("%011o", content.length));
    put(header, 136, "00000000000");
    header[156] = '0';
    put(header, 257, "ustar");
    put(header, 263, "00");
    Arrays.fill(header, 148, 156, (byte) ' ');
    int checksum = 0;
    for (byte b : header) {
      checksum += b & 0xff;
    }
    put(header, 148, String.format("%06o", checksum));
    header[154] = 0;
    int padded = (content.length + BLOCK - 1) / BLOCK * BLOCK;
    byte[] archive = new byte[BLOCK + padded + 2 * BLOCK];
    System.arraycopy(header, 0, archive, 0, BLOCK);
    System.arraycopy(content, 0, archive, BLOCK, content.length);
    return archive;
  }

  public static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 1024);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static byte[] gunzip(byte[] compressed) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The regular files of a gzipped tar, by path; directories and other entries are skipped. */
  public static Map<String, byte[]> files(byte[] compressed) {
    byte[] tar = gunzip(compressed);
    Map<String, byte[]> files = new LinkedHashMap<>();
    int at = 0;
    while (at + BLOCK <= tar.length && tar[at] != 0) {
      String name = text(tar, at, 100);
      String prefix = text(tar, at + 345, 155);
      int size = Integer.parseInt(text(tar, at + 124, 12).trim(), 8);
      byte type = tar[at + 156];
      if (type == '0' || type == 0) {
        files.put(prefix.isEmpty() ? name : prefix + "/" + name,
            Arrays.copyOfRange(tar, at + BLOCK, at + BLOCK + size));
      }
      at += BLOCK + (size + BLOCK - 1) / BLOCK * BLOCK;
    }
    return files;
  }

  private static void put(byte[] header, int offset, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }

  private static String text(byte[] tar, int offset, int length) {
    int end = offset;
    while (end < offset + length && tar[end] != 0) {
      end++;
    }
    return new String(tar, offset, end - offset, StandardCharsets.US_ASCII);
  }
}
