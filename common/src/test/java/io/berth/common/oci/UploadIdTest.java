package io.berth.common.oci;

import static io.berth.common.testing.Await.throwsRegistryError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.bus.UploadIds;
import io.berth.common.error.ErrorCode;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Only a lowercase UUID is an upload id: nothing else may name a directory under {@code _uploads}. */
class UploadIdTest {
  @Test
  void distributionsVersion4AndBerthsVersion8IdsAreUploadIds() {
    String distributions = UUID.randomUUID().toString();
    String berths = UploadIds.newUuid("0123456789ab").value();

    assertEquals(distributions, UploadId.parse(distributions).value());
    assertEquals(berths, UploadId.parse(berths).toString());
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"4F1E8C52-9D3A-4B7E-8F00-0123456789AB", "4f1e8c52-9d3a-4b7e-8f00-0123456789Ab",
      "4f1e8c52-9d3a-4b7e-8f00-0123456789a", "4f1e8c52-9d3a-4b7e-8f00-0123456789abc", "4f1e8c529d3a4b7e8f000123456789ab",
      "{4f1e8c52-9d3a-4b7e-8f00-0123456789ab}", "4f1e8c52-9d3a-4b7e-8f00-0123456789ab/..", "..", ".",
      "../../../../blobs/sha256/ab/abab", "4f1e8c52-9d3a-4b7e-8f00-01234567\\.ab", "4f1e8c52-9d3a-4b7e-8f00-0123456789a\u0000",
      "4f1e8c52-9d3a-4b7e-8f00-0123456789ab\\n", "4f1e8c52_9d3a_4b7e_8f00_0123456789ab"})
  void anythingElseIsAnUnknownUpload(String text) {
    throwsRegistryError(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> UploadId.parse(text));
    throwsRegistryError(ErrorCode.BLOB_UPLOAD_UNKNOWN, () -> new UploadId(text));
  }
}
