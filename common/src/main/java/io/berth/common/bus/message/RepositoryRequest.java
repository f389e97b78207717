package io.berth.common.bus.message;

import io.berth.common.oci.RepositoryName;
import io.vertx.core.json.JsonObject;

/**
 * Names one repository: upload start, repository delete. The name is parsed again when a message is read, so one
 * that is no repository name fails the message (NAME_INVALID) before it can become part of a storage path.
 */
public record RepositoryRequest(RepositoryName repository) {
  public JsonObject toJson() {
    return new JsonObject().put("repository", repository.value());
  }

  public static RepositoryRequest fromJson(JsonObject json) {
    return new RepositoryRequest(RepositoryName.parse(json.getString("repository")));
  }
}
