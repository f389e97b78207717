package io.berth.common.error;

/**
 * The one table of registry errors, each with the HTTP status it answers and the default message clients see.
 * The codes are the OCI distribution spec's wherever one fits (the spec says a code MUST be one of its list); where
 * none does, distribution's (PAGINATION_NUMBER_INVALID, TAG_INVALID) so that its clients see what they know.
 */
public enum ErrorCode {
  BLOB_UNKNOWN("BLOB_UNKNOWN", 404, "blob unknown to registry"),
  BLOB_UPLOAD_INVALID("BLOB_UPLOAD_INVALID", 400, "blob upload invalid"),
  BLOB_UPLOAD_UNKNOWN("BLOB_UPLOAD_UNKNOWN", 404, "blob upload unknown to registry"),
  DIGEST_INVALID("DIGEST_INVALID", 400, "provided digest did not match uploaded content"),
  MANIFEST_BLOB_UNKNOWN("MANIFEST_BLOB_UNKNOWN", 400, "manifest references a manifest or blob unknown to registry"),
  MANIFEST_INVALID("MANIFEST_INVALID", 400, "manifest invalid"),
  MANIFEST_TOO_LARGE("MANIFEST_INVALID", 413, "manifest exceeds the size limit"),
  MANIFEST_UNKNOWN("MANIFEST_UNKNOWN", 404, "manifest unknown to registry"),
  NAME_INVALID("NAME_INVALID", 400, "invalid repository name"),
  NAME_UNKNOWN("NAME_UNKNOWN", 404, "repository name not known to registry"),
  PAGINATION_NUMBER_INVALID("PAGINATION_NUMBER_INVALID", 400, "invalid number of results requested"),
  RANGE_INVALID("BLOB_UPLOAD_INVALID", 416, "chunk does not start where the upload ends"),
  /** Answered without a body, with {@code Content-Range: bytes *}{@code /<size>} as RFC 9110 asks; no OCI code fits. */
  REQUESTED_RANGE_NOT_SATISFIABLE("", 416, "requested range not satisfiable"),
  SIZE_INVALID("SIZE_INVALID", 400, "provided length did not match content length"),
  TAG_INVALID("TAG_INVALID", 400, "invalid tag or reference"),
  UNAUTHORIZED("UNAUTHORIZED", 401, "authentication required"),
  DENIED("DENIED", 403, "requested access to the resource is denied"),
  /** A valid token without the access asked for: 401 so that clients fetch a better token, as distribution answers. */
  INSUFFICIENT_SCOPE("DENIED", 401, "requested access to the resource is denied"),
  UNSUPPORTED("UNSUPPORTED", 405, "The operation is unsupported."),
  /** A request malformed below the API (no Host, say): the spec's UNSUPPORTED covers "an invalid set of parameters". */
  BAD_REQUEST("UNSUPPORTED", 400, "bad request"),
  NOT_FOUND("NOT_FOUND", 404, "no such endpoint"),
  TOO_MANY_REQUESTS("TOOMANYREQUESTS", 429, "too many requests"),
  UNAVAILABLE("UNAVAILABLE", 503, "service unavailable"),
  UNKNOWN("UNKNOWN", 500, "unknown error");

  private final String code;
  private final int httpStatus;
  private final String message;

  ErrorCode(String code, int httpStatus, String message) {
    this.code = code;
    this.httpStatus = httpStatus;
    this.message = message;
  }

  /** The code as it appears in {@code {"errors":[{"code":…}]}}. */
  public String code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String message() {
    return message;
  }
}
