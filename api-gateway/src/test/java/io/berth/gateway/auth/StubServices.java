package io.berth.gateway.auth;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusConsumers;
import io.berth.common.bus.ChunkReceiver;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.BlobRequest;
import io.berth.common.bus.message.ManifestContent;
import io.berth.common.bus.message.MountRequest;
import io.berth.common.bus.message.Page;
import io.berth.common.bus.message.StreamOpened;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.bus.message.UploadState;
import io.berth.common.oci.MediaTypes;
import io.berth.common.oci.UploadId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Minimal blob and manifest services on the local event bus, so the gateway's real routes can answer once access
 * control has let a request through. Every blob is the three bytes {@code abc}; uploads count the bytes they get.
 */
final class StubServices {
  static final String SESSION = "5e1f0a3c-0000-4000-8000-000000000001";
  private static final UploadId SESSION_ID = UploadId.parse(SESSION);
  static final String MANIFEST = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"}";

  private StubServices() {
  }

  static void register(Vertx vertx, Path blobFile) throws Exception {
    Files.writeString(blobFile, "abc");
    EventBus bus = vertx.eventBus();
    BusConsumers.register(bus, Addresses.CATALOG,
        json -> reply(new Page(List.of("app/one", "app/two"), false).toJson()));
    BusConsumers.register(bus, Addresses.TAG_LIST, json -> reply(new Page(List.of("latest"), false).toJson()));
    BusConsumers.register(bus, Addresses.REFERRERS, json -> reply(new JsonObject().put("schemaVersion", 2)
        .put("mediaType", MediaTypes.OCI_INDEX).put("manifests", new JsonArray())));
    BusConsumers.register(bus, Addresses.MANIFEST_GET, json -> reply(new ManifestContent(digest('b'),
        MediaTypes.OCI_MANIFEST, Buffer.buffer(MANIFEST), null).toJson()));
    BusConsumers.register(bus, Addresses.MANIFEST_PUT, json -> reply(new ManifestContent(digest('b'),
        MediaTypes.OCI_MANIFEST, Buffer.buffer(MANIFEST), null).toJson()));
    BusConsumers.register(bus, Addresses.MANIFEST_DELETE, json -> reply(new JsonObject()));
    BusConsumers.register(bus, Addresses.REPOSITORY_DELETE, json -> reply(new JsonObject()));
    BusConsumers.register(bus, Addresses.BLOB_STAT, json -> reply(new BlobInfo(BlobRequest.fromJson(json).digest(),
        3, blobFile.toString()).toJson()));
    BusConsumers.register(bus, Addresses.BLOB_DELETE, json -> reply(new JsonObject()));
    BusConsumers.register(bus, Addresses.BLOB_MOUNT, json -> reply(new BlobInfo(MountRequest.fromJson(json).digest(),
        3, blobFile.toString()).toJson()));
    BusConsumers.register(bus, Addresses.UPLOAD_START, json -> reply(new UploadState(SESSION_ID, 0).toJson()));
    BusConsumers.register(bus, Addresses.UPLOAD_STATUS, json -> reply(new UploadState(SESSION_ID, 0).toJson()));
    BusConsumers.register(bus, Addresses.UPLOAD_CANCEL, json -> reply(new JsonObject()));
    BusConsumers.register(bus, Addresses.UPLOAD_WRITE, json -> {
      UploadRequest request = UploadRequest.fromJson(json);
      return ChunkReceiver.open(vertx, new CountingSink(request), 10_000)
          .map(receiver -> new StreamOpened(receiver.address()).toJson());
    });
  }

  static String digest(char fill) {
    return "sha256:" + String.valueOf(fill).repeat(64);
  }

  private static Future<JsonObject> reply(JsonObject json) {
    return Future.succeededFuture(json);
  }

  /** Takes an upload's bytes and answers with how many arrived, as the blob service's new session state. */
  private static final class CountingSink implements ChunkReceiver.Sink {
    private final UploadRequest request;
    private long bytes;

    CountingSink(UploadRequest request) {
      this.request = request;
    }

    @Override
    public Future<Void> write(Buffer chunk) {
      bytes += chunk.length();
      return Future.succeededFuture();
    }

    @Override
    public Future<JsonObject> finish() {
      return reply(request.digest() == null ? new UploadState(request.uuid(), bytes).toJson()
          : new BlobInfo(request.digest(), bytes, null).toJson());
    }

    @Override
    public void abort() {
      bytes = -1;
    }
  }
}
