package io.berth.gateway.bus;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusClient;
import io.berth.common.bus.message.ManifestContent;
import io.berth.common.bus.message.ManifestPut;
import io.berth.common.bus.message.ManifestRequest;
import io.berth.common.bus.message.Page;
import io.berth.common.bus.message.PageRequest;
import io.berth.common.bus.message.ReferrersRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** The gateway's typed calls to the manifest service. */
public final class ManifestServiceClient {
  private final BusClient bus;

  public ManifestServiceClient(BusClient bus) {
    this.bus = bus;
  }

  public Future<ManifestContent> get(String repository, String reference) {
    return bus.request(Addresses.MANIFEST_GET, new ManifestRequest(repository, reference).toJson())
        .map(ManifestContent::fromJson);
  }

  public Future<ManifestContent> put(ManifestPut put) {
    return bus.request(Addresses.MANIFEST_PUT, put.toJson()).map(ManifestContent::fromJson);
  }

  public Future<Void> delete(String repository, String reference) {
    return bus.request(Addresses.MANIFEST_DELETE, new ManifestRequest(repository, reference).toJson()).mapEmpty();
  }

  public Future<Void> deleteRepository(String repository) {
    return bus.request(Addresses.REPOSITORY_DELETE, new JsonObject().put("repository", repository)).mapEmpty();
  }

  public Future<Page> tags(PageRequest request) {
    return bus.request(Addresses.TAG_LIST, request.toJson()).map(Page::fromJson);
  }

  public Future<Page> catalog(PageRequest request) {
    return bus.request(Addresses.CATALOG, request.toJson()).map(Page::fromJson);
  }

  public Future<JsonObject> referrers(ReferrersRequest request) {
    return bus.request(Addresses.REFERRERS, request.toJson());
  }
}
