package io.berth.common.bus.message;

import static io.berth.common.testing.Await.throwsRegistryError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.error.ErrorCode;
import io.berth.common.oci.RepositoryName;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The body of upload start and repository delete, as both sides wrote it by hand before it was a record. */
class RepositoryRequestTest {
  @Test
  void itsBodyIsTheRepositoryNameAlone() {
    JsonObject body = new RepositoryRequest(RepositoryName.parse("library/alpine")).toJson();

    assertEquals(new JsonObject().put("repository", "library/alpine"), body);
    assertEquals(RepositoryName.parse("library/alpine"), RepositoryRequest.fromJson(body).repository());
  }

  @Test
  void aBodyNamingNoRepositoryFailsAsAnInvalidName() {
    throwsRegistryError(ErrorCode.NAME_INVALID,
        () -> RepositoryRequest.fromJson(new JsonObject().put("repository", "../../blobs")));
    throwsRegistryError(ErrorCode.NAME_INVALID, () -> RepositoryRequest.fromJson(new JsonObject()));
  }
}
