package io.berth.common.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On a static {@link S3TestServer} field: the test class's S3 server, started before its first test (before the
 * class's own {@code @BeforeAll} methods, which may use it) and stopped after its last (after its {@code @AfterAll}
 * methods). Each test takes a bucket of its own from it ({@link S3TestServer#newBucket()}).
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(S3ServerExtension.class)
public @interface S3Server {
  Backend value() default Backend.MEMORY;

  /** Which {@link S3TestServer} it is. */
  enum Backend {
    /** {@link S3TestServer#start()}. */
    MEMORY,
    /** {@link S3TestServer#startStrict()}. */
    STRICT,
    /** {@link S3TestServer#startOnFileSystem}, in a directory of its own. */
    FILE_SYSTEM
  }
}
