package io.berth.common.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Starts and stops the servers of the {@link S3Server} fields of a test class. */
public final class S3ServerExtension implements BeforeAllCallback, AfterAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    for (Field field : fields(context)) {
      field.set(null, start(field.getAnnotation(S3Server.class).value()));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    for (Field field : fields(context)) {
      S3TestServer server = (S3TestServer) field.get(null);
      if (server != null) {
        field.set(null, null);
        server.close();
      }
    }
  }

  private static S3TestServer start(S3Server.Backend backend) throws Exception {
    return switch (backend) {
      case MEMORY -> S3TestServer.start();
      case STRICT -> S3TestServer.startStrict();
      case FILE_SYSTEM -> S3TestServer.startOnFileSystem(Files.createTempDirectory("s3proxy-fs"));
    };
  }

  private static List<Field> fields(ExtensionContext context) {
    List<Field> fields = AnnotationSupport.findAnnotatedFields(context.getRequiredTestClass(), S3Server.class);
    for (Field field : fields) {
      if (!Modifier.isStatic(field.getModifiers()) || field.getType() != S3TestServer.class) {
        throw new IllegalStateException("@S3Server on " + field + ", which is no static S3TestServer");
      }
      field.setAccessible(true);
    }
    return fields;
  }
}
