package io.berth.gateway.http;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.berth.common.oci.Reference;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Tag;
import io.berth.common.oci.UploadId;
import io.vertx.ext.web.RoutingContext;

/** Reads and validates the parts of a {@code /v2/} request; a bad part fails with the spec's error code. */
public final class Params {
  private Params() {
  }

  public static String name(RoutingContext ctx) {
    return repository(ctx.pathParam("name"));
  }

  public static String repository(String text) {
    return RepositoryName.parse(text).value();
  }

  public static String digest(String text) {
    return Digest.parse(text).toString();
  }

  /** The session of an upload URL: BLOB_UPLOAD_UNKNOWN, as for a session nobody opened, when it is no upload id. */
  public static UploadId uploadId(RoutingContext ctx) {
    return UploadId.parse(ctx.pathParam("uuid"));
  }

  /** The reference of a manifest to store: a bad tag is TAG_INVALID, a bad digest DIGEST_INVALID. */
  public static String reference(RoutingContext ctx) {
    return Reference.parse(ctx.pathParam("reference")).toString();
  }

  /**
   * The reference of a manifest to read or delete. One that can name no manifest the registry could hold answers 404
   * MANIFEST_UNKNOWN, as distribution and zot answer and the OCI conformance suite expects: no tag and no colon
   * ({@code .INVALID_MANIFEST_NAME}), or a digest of an algorithm the registry does not take ({@code md5:…}). A
   * malformed digest of an algorithm it takes stays DIGEST_INVALID, which the suite accepts as well.
   */
  public static String existingReference(RoutingContext ctx) {
    String text = ctx.pathParam("reference");
    if (Digest.isDigest(text)) {
      String algorithm = text.substring(0, text.indexOf(':'));
      if (!Digest.isSupported(algorithm)) {
        throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN,
            "no manifest has this reference: the registry takes no digests of algorithm " + algorithm);
      }
    } else if (!Tag.isValid(text)) {
      throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "no manifest has this reference: it is not a valid tag");
    }
    return reference(ctx);
  }

  /** The {@code n} of a paginated listing: -1 when absent, else a whole number from 0 to {@code max}. */
  public static int pageSize(RoutingContext ctx, int max) {
    return (int) pageNumber(ctx, max);
  }

  /**
   * The {@code n} of a tag listing: -1 when absent, else any whole number a long holds; one beyond an int asks for
   * every tag. distribution and zot read any {@code n} their 64-bit int holds (distribution then clamps it to its
   * {@code maxtags}), so only one beyond that is PAGINATION_NUMBER_INVALID, as there.
   */
  public static int tagPageSize(RoutingContext ctx) {
    return (int) Math.min(pageNumber(ctx, Long.MAX_VALUE), Integer.MAX_VALUE);
  }

  private static long pageNumber(RoutingContext ctx, long max) {
    String n = ctx.request().getParam("n");
    if (n == null || n.isEmpty()) {
      return -1;
    }
    try {
      long value = Long.parseLong(n);
      if (value >= 0 && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the value the client sent
    }
    throw new RegistryException(ErrorCode.PAGINATION_NUMBER_INVALID,
        "n must be a whole number from 0 to " + max + ", got " + n, n);
  }
}
