package io.berth.gateway.bus;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusClient;
import io.berth.common.bus.BusRetry;
import io.berth.common.bus.message.ManifestContent;
import io.berth.common.bus.message.ManifestPut;
import io.berth.common.bus.message.ManifestRequest;
import io.berth.common.bus.message.Page;
import io.berth.common.bus.message.PageRequest;
import io.berth.common.bus.message.Referrers;
import io.berth.common.bus.message.ReferrersRequest;
import io.berth.common.bus.message.RepositoryRequest;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.event.RequestInfo;
import io.berth.common.oci.RepositoryName;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The gateway's typed calls to the manifest service, each made for a client's request. Reads are asked again on
 * another instance when the one asked is gone ({@link io.berth.common.bus.BusRetry}); writes are not.
 */
public final class ManifestServiceClient {
  private final BusClient bus;

  public ManifestServiceClient(BusClient bus) {
    this.bus = bus;
  }

  /** Asked for HEAD as for GET; the client's method tells the manifest service whether it is being pulled. */
  public Future<ManifestContent> get(String repository, String reference, RequestInfo client) {
    return bus.requestIdempotent(Addresses.MANIFEST_GET, new ManifestRequest(repository, reference).toJson(), client)
        .map(ManifestContent::fromJson);
  }

  public Future<ManifestContent> put(ManifestPut put, RequestInfo client) {
    return bus.request(Addresses.MANIFEST_PUT, put.toJson(), client).map(ManifestContent::fromJson);
  }

  /**
   * A delete left unanswered by a departure may have been done (by the member that left, or by a live instance too
   * slow to answer): it is sent once more, and "unknown" then means it was, which is what the client asked for.
   */
  public Future<Void> delete(String repository, String reference, RequestInfo client) {
    JsonObject request = new ManifestRequest(repository, reference).toJson();
    return bus.request(Addresses.MANIFEST_DELETE, request, client)
        .recover(failure -> !BusRetry.unansweredAfterDeparture(failure) ? Future.failedFuture(failure)
            : bus.request(Addresses.MANIFEST_DELETE, request, client).recover(again ->
                again instanceof RegistryException error && error.errorCode() == ErrorCode.MANIFEST_UNKNOWN
                    ? Future.succeededFuture() : Future.failedFuture(again)))
        .mapEmpty();
  }

  public Future<Void> deleteRepository(String repository) {
    return bus.request(Addresses.REPOSITORY_DELETE, new RepositoryRequest(RepositoryName.parse(repository)).toJson())
        .mapEmpty();
  }

  public Future<Page> tags(PageRequest request, RequestInfo client) {
    return bus.requestIdempotent(Addresses.TAG_LIST, request.toJson(), client).map(Page::fromJson);
  }

  public Future<Page> catalog(PageRequest request, RequestInfo client) {
    return bus.requestIdempotent(Addresses.CATALOG, request.toJson(), client).map(Page::fromJson);
  }

  public Future<Referrers> referrers(ReferrersRequest request, RequestInfo client) {
    return bus.requestIdempotent(Addresses.REFERRERS, request.toJson(), client).map(Referrers::fromJson);
  }
}
