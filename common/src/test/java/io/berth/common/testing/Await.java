package io.berth.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.function.Executable;

/** Waits for futures from a test thread (never an event loop) and asserts how they failed. */
public final class Await {
  public static final long TIMEOUT_SECONDS = 20;

  private Await() {
  }

  public static <T> T result(Future<T> future) {
    AsyncResult<T> outcome = outcome(future);
    if (outcome.failed()) {
      throw new AssertionError("expected success, got " + outcome.cause(), outcome.cause());
    }
    return outcome.result();
  }

  public static Throwable failure(Future<?> future) {
    AsyncResult<?> outcome = outcome(future);
    assertTrue(outcome.failed(), () -> "expected a failure, got " + outcome.result());
    return outcome.cause();
  }

  /** The registry error a future failed with, after checking its code. */
  public static RegistryException failsWith(ErrorCode code, Future<?> future) {
    return registryError(code, failure(future));
  }

  /** The registry error an action threw, after checking its code. */
  public static RegistryException throwsRegistryError(ErrorCode code, Executable action) {
    return registryError(code, assertThrows(RegistryException.class, action));
  }

  private static RegistryException registryError(ErrorCode code, Throwable failure) {
    RegistryException error = assertInstanceOf(RegistryException.class, failure);
    assertEquals(code, error.errorCode(), error::getMessage);
    return error;
  }

  private static <T> AsyncResult<T> outcome(Future<T> future) {
    try {
      return future.<AsyncResult<T>>transform(Future::succeededFuture).await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no outcome within " + TIMEOUT_SECONDS + " s", e);
    }
  }
}
