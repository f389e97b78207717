package io.berth.blob.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.berth.common.oci.Sha256;
import io.berth.common.testing.TestBytes;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SavableDigestTest {
  /** SHA-256's initial state words, which Go's encoding holds until a first whole block is hashed. */
  private static final int[] INITIAL = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c,
      0x1f83d9ab, 0x5be0cd19};

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 4, 5, 55, 56, 63, 64, 65, 127, 128, 1000, 262_147})
  void aStateSavedAfterAnyLengthContinuesToTheDigestOfTheWhole(int split) {
    Buffer content = TestBytes.random(300_000, split);
    SavableDigest first = new SavableDigest();
    first.update(content.slice(0, split));

    SavableDigest restored = SavableDigest.restore(first.state(), split);
    restored.update(content.slice(split, content.length()));

    assertEquals(Sha256.of(content), restored.peek());
    assertEquals(Sha256.of(content.slice(0, split)), first.peek());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, 63})
  void goEncodingHoldsTheMagicTheInitialWordsThePendingBytesAndTheLength(int length) {
    Buffer content = TestBytes.random(length, 3);
    SavableDigest digest = new SavableDigest();
    digest.update(content);

    ByteBuffer state = ByteBuffer.wrap(digest.state());

    assertEquals(108, state.capacity());
    assertArrayEquals(new byte[] {'s', 'h', 'a', 3}, Arrays.copyOfRange(state.array(), 0, 4));
    for (int i = 0; i < 8; i++) {
      assertEquals(INITIAL[i], state.getInt(4 + 4 * i));
    }
    assertArrayEquals(content.getBytes(), Arrays.copyOfRange(state.array(), 36, 36 + length));
    assertArrayEquals(new byte[64 - length], Arrays.copyOfRange(state.array(), 36 + length, 100));
    assertEquals(length, state.getLong(100));
  }

  @Test
  void afterWholeBlocksOnlyTheRemainderIsPending() {
    Buffer content = TestBytes.random(64 * 3 + 10, 4);
    SavableDigest digest = new SavableDigest();
    digest.update(content);

    byte[] state = digest.state();

    assertArrayEquals(content.slice(192, 202).getBytes(), Arrays.copyOfRange(state, 36, 46));
    assertEquals(202, ByteBuffer.wrap(state).getLong(100));
  }

  @Test
  void anythingButASavedStateIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> SavableDigest.restore(new byte[108], 0));
    assertThrows(IllegalArgumentException.class, () -> SavableDigest.restore("sha\u0003".getBytes(), 0));
  }

  /** A state of another offset, or of a length no upload has, would verify other bytes than the upload's. */
  @Test
  void aStateOfAnotherLengthIsRefused() {
    SavableDigest digest = new SavableDigest();
    digest.update(TestBytes.random(100, 5));
    byte[] state = digest.state();

    assertThrows(IllegalArgumentException.class, () -> SavableDigest.restore(state, 99));
    ByteBuffer.wrap(state).putLong(100, -1);
    assertThrows(IllegalArgumentException.class, () -> SavableDigest.restore(state, -1));
  }
}
