package io.berth.common.oci;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import java.util.regex.Pattern;

/**
 * The id of an upload session, as the upload URL carries it and as it names the session's directory on storage
 * ({@code _uploads/<id>}): a UUID in its canonical text form, lowercase hex in groups of 8-4-4-4-12. distribution's
 * version-4 ids and Berth's version-8 ids ({@link io.berth.common.bus.UploadIds}) both fit. Upper case is refused:
 * distribution writes its ids with Go's {@code uuid.NewString} (lowercase) and accepts a session URL only with the
 * HMAC-signed state it issued for that very id, so no session anywhere has an upper-case id. Nothing else is an id,
 * so nothing else ever becomes part of a storage path (security issue #10: an id of {@code ../../../../blobs/…}
 * reached the blobs of every repository). Answers BLOB_UPLOAD_UNKNOWN, as distribution does for a session it does
 * not know.
 */
public record UploadId(String value) {
  private static final Pattern GRAMMAR =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  public UploadId {
    if (value == null || !GRAMMAR.matcher(value).matches()) {
      throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN,
          "blob upload unknown to registry: " + value + " is not an upload id (a lowercase UUID)");
    }
  }

  public static UploadId parse(String text) {
    return new UploadId(text);
  }

  @Override
  public String toString() {
    return value;
  }
}
