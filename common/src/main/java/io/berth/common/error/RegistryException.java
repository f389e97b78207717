package io.berth.common.error;

import io.vertx.core.json.JsonObject;

/** The one error type of the registry: an {@link ErrorCode}, a message for the client and an optional detail. */
public final class RegistryException extends RuntimeException {
  private final ErrorCode errorCode;
  private final Object detail;

  public RegistryException(ErrorCode errorCode) {
    this(errorCode, errorCode.message(), null);
  }

  public RegistryException(ErrorCode errorCode, String message) {
    this(errorCode, message, null);
  }

  public RegistryException(ErrorCode errorCode, String message, Object detail) {
    this(errorCode, message, detail, null);
  }

  /** Client errors are expected and carry no stack; an internal error keeps its cause for the log. */
  public RegistryException(ErrorCode errorCode, String message, Object detail, Throwable cause) {
    super(message, cause, false, cause != null);
    this.errorCode = errorCode;
    this.detail = detail;
  }

  public ErrorCode errorCode() {
    return errorCode;
  }

  public Object detail() {
    return detail;
  }

  /** One entry of the OCI error body. */
  public JsonObject toErrorJson() {
    JsonObject json = new JsonObject().put("code", errorCode.code()).put("message", getMessage());
    if (detail != null) {
      json.put("detail", detail);
    }
    return json;
  }
}
