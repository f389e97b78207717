package io.berth.common.bus;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.storage.StorageAccess;
import io.berth.common.storage.StorageUnavailableException;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.file.FileSystemException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How errors cross the bus: the consumer fails a message with the HTTP status and a JSON body naming the
 * {@link ErrorCode}; the caller turns the {@link ReplyException} back into a {@link RegistryException}.
 */
public final class BusErrors {
  private static final Logger LOG = LoggerFactory.getLogger(BusErrors.class);
  private static final String ERROR = "error";
  private static final String MESSAGE = "message";
  private static final String DETAIL = "detail";

  private BusErrors() {
  }

  public static void fail(Message<?> message, Throwable cause) {
    RegistryException error = asRegistryException(cause);
    Optional<FileSystemException> refusal = StorageAccess.refusal(cause);
    if (refusal.isPresent()) {
      // One line an operator can act on; the stack would only show which write met it.
      LOG.error("storage refused access [address: {}, path: {}, user: {}]: {}; make the storage root writable by"
          + " this user, or run as root", message.address(), refusal.get().getFile(), StorageAccess.user(),
          refusal.get().getReason() == null ? "Permission denied" : refusal.get().getReason());
    } else if (unavailable(cause).isPresent()) {
      // Storage's failure, not this request's nor a bug: one line names it, the stack would only show which call met it.
      LOG.warn("storage unavailable [address: {}]: {}", message.address(), unavailable(cause).get().getMessage());
    } else if (cause instanceof HttpClosedException) {
      // A client that hangs up mid-download is routine, not a registry failure.
      LOG.debug("bus request ended: the client closed its connection [address: {}]", message.address());
    } else if (error.errorCode().httpStatus() >= 500) {
      LOG.error("bus request failed [address: {}]", message.address(), cause);
    }
    JsonObject body = new JsonObject().put(ERROR, error.errorCode().name()).put(MESSAGE, error.getMessage());
    if (error.detail() != null) {
      body.put(DETAIL, error.detail());
    }
    message.fail(error.errorCode().httpStatus(), body.encode());
  }

  /** Maps anything a bus call or a handler can fail with onto the registry's one error type. */
  public static RegistryException asRegistryException(Throwable cause) {
    if (cause instanceof RegistryException registryException) {
      return registryException;
    }
    if (cause instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case TIMEOUT -> new RegistryException(ErrorCode.UNAVAILABLE, "a registry service did not answer in time");
        case NO_HANDLERS -> new RegistryException(ErrorCode.UNAVAILABLE, "a registry service is not running");
        default -> decode(reply);
      };
    }
    if (StorageAccess.refusal(cause).isPresent()) {
      // Not the request's fault and not a bug: the service cannot serve writes until an operator fixes the storage.
      return new RegistryException(ErrorCode.UNAVAILABLE, "storage refused access");
    }
    if (unavailable(cause).isPresent()) {
      return new RegistryException(ErrorCode.UNAVAILABLE, "storage unavailable, retry later");
    }
    return new RegistryException(ErrorCode.UNKNOWN, "internal error", null, cause);
  }

  /** The storage failure behind {@code cause}, however deep a caller wrapped it. */
  private static Optional<StorageUnavailableException> unavailable(Throwable cause) {
    for (Throwable at = cause; at != null; at = at.getCause() == at ? null : at.getCause()) {
      if (at instanceof StorageUnavailableException storage) {
        return Optional.of(storage);
      }
    }
    return Optional.empty();
  }

  private static RegistryException decode(ReplyException reply) {
    try {
      JsonObject body = new JsonObject(reply.getMessage());
      ErrorCode code = ErrorCode.valueOf(body.getString(ERROR));
      return new RegistryException(code, body.getString(MESSAGE, code.message()), body.getValue(DETAIL));
    } catch (DecodeException | IllegalArgumentException | NullPointerException | ClassCastException e) {
      return new RegistryException(ErrorCode.UNKNOWN, "internal error: " + reply.getMessage());
    }
  }
}
