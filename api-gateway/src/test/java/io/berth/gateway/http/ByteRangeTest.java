package io.berth.gateway.http;

import static io.berth.common.testing.Await.throwsRegistryError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {
  private static final long SIZE = 1000;

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "bytes=0-99      | 0   | 100",
      "bytes=100-199   | 100 | 100",
      "bytes=999-999   | 999 | 1",
      "bytes=0-0       | 0   | 1",
      "bytes=500-      | 500 | 500",
      "bytes=0-        | 0   | 1000",
      "bytes=-100      | 900 | 100",
      "bytes=-1        | 999 | 1",
      "' bytes=1-2 '   | 1   | 2"})
  void aSingleRangeSelectsItsBytes(String header, long offset, long length) {
    assertEquals(new ByteRange(offset, length), ByteRange.parse(header, SIZE));
  }

  @Test
  void aLastBytePastTheEndIsClampedToTheEnd() {
    assertEquals(new ByteRange(900, 100), ByteRange.parse("bytes=900-5000", SIZE));
  }

  @Test
  void aSuffixLongerThanTheBlobSelectsTheWholeBlob() {
    assertEquals(new ByteRange(0, 1000), ByteRange.parse("bytes=-5000", SIZE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=1000-", "bytes=1000-1001", "bytes=5000-6000", "bytes=200-100", "bytes=-0"})
  void aRangeOutsideTheBlobIsNotSatisfiable(String header) {
    RegistryException error = throwsRegistryError(ErrorCode.REQUESTED_RANGE_NOT_SATISFIABLE,
        () -> ByteRange.parse(header, SIZE));

    assertEquals(416, error.errorCode().httpStatus());
    assertEquals(SIZE, error.detail());
  }

  @Test
  void positionsBeyondALongLieBeyondTheEnd() {
    throwsRegistryError(ErrorCode.REQUESTED_RANGE_NOT_SATISFIABLE,
        () -> ByteRange.parse("bytes=99999999999999999999-", SIZE));
    assertEquals(new ByteRange(10, 990), ByteRange.parse("bytes=10-99999999999999999999", SIZE));
    assertEquals(new ByteRange(0, 1000), ByteRange.parse("bytes=-99999999999999999999", SIZE));
  }

  @Test
  void anyRangeOfAnEmptyBlobIsNotSatisfiable() {
    throwsRegistryError(ErrorCode.REQUESTED_RANGE_NOT_SATISFIABLE, () -> ByteRange.parse("bytes=0-", 0));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "bytes=", "bytes=-", "bytes=a-b", "bytes=0-1,5-6", "items=0-1", "bytes 0-1", "0-1",
      "bytes=1-2-3", "bytes=+1-2"})
  void aMissingOrMalformedHeaderMeansTheWholeBlob(String header) {
    assertNull(ByteRange.parse(header, SIZE));
  }

  /** Positions past any long are still positions past the end: clamped, or not satisfiable (RFC 9110 §14.1.2). */
  @Test
  void aPositionBeyondAnyNumberIsPastTheEnd() {
    String huge = "99999999999999999999";
    assertEquals(new ByteRange(10, 990), ByteRange.parse("bytes=10-" + huge, SIZE));
    assertEquals(new ByteRange(0, 1000), ByteRange.parse("bytes=-" + huge, SIZE));
    throwsRegistryError(ErrorCode.REQUESTED_RANGE_NOT_SATISFIABLE, () -> ByteRange.parse("bytes=" + huge + "-", SIZE));
    throwsRegistryError(ErrorCode.REQUESTED_RANGE_NOT_SATISFIABLE,
        () -> ByteRange.parse("bytes=" + huge + "-" + huge, SIZE));
  }

  @Test
  void contentRangeNamesFirstLastAndSize() {
    assertEquals("bytes 100-199/1000", new ByteRange(100, 100).contentRange(SIZE));
    assertEquals("bytes 999-999/1000", new ByteRange(999, 1).contentRange(SIZE));
  }
}
