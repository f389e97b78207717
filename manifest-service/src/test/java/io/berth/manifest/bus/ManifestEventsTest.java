package io.berth.manifest.bus;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.message.ManifestPut;
import io.berth.common.bus.message.ManifestRequest;
import io.berth.common.error.ErrorCode;
import io.berth.common.event.RequestInfo;
import io.berth.common.oci.ContentDigest;
import io.berth.common.oci.Digest;
import io.berth.common.oci.MediaTypes;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Sha256;
import io.berth.common.storage.StorageLayout;
import io.berth.common.testing.EventRecorder;
import io.berth.manifest.RunningManifestService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The events the real ManifestVerticle publishes for manifest pushes, pulls and deletes, and for nothing else. */
class ManifestEventsTest {
  private static final String REPO = "team/app";
  private static final String HOST = "registry.test:5000";
  private static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
  private static final JsonObject CONFIG = descriptor("application/vnd.oci.image.config.v1+json", 'c', 321);
  private static final JsonObject LAYER_ONE = descriptor(LAYER_TYPE, '1', 1000);
  private static final JsonObject LAYER_TWO = descriptor(LAYER_TYPE, '2', 2000);
  private static final Buffer IMAGE = new JsonObject().put("schemaVersion", 2)
      .put("mediaType", MediaTypes.OCI_MANIFEST).put("config", CONFIG)
      .put("layers", new JsonArray().add(LAYER_ONE).add(LAYER_TWO)).toBuffer();
  private static final String IMAGE_DIGEST = Sha256.of(IMAGE).toString();

  @TempDir
  Path root;

  private RunningManifestService service;
  private EventRecorder events;

  private void start(boolean deleteEnabled) {
    service = RunningManifestService.start(root, deleteEnabled, Map.of("REGISTRY_HTTP_ADDR", "0.0.0.0:5000"));
    events = EventRecorder.listen(service.vertx());
    service.knowBlob(CONFIG.getString("digest"));
    service.knowBlob(LAYER_ONE.getString("digest"));
    service.knowBlob(LAYER_TWO.getString("digest"));
  }

  @AfterEach
  void stop() {
    service.close();
  }

  private static JsonObject descriptor(String mediaType, char fill, long size) {
    return new JsonObject().put("mediaType", mediaType).put("digest", "sha256:" + String.valueOf(fill).repeat(64))
        .put("size", size);
  }

  private static RequestInfo client(String method, String actor) {
    return new RequestInfo("req-" + method, "10.1.2.3:45678", HOST, method, "containerd/1.7", actor);
  }

  private static JsonObject request(String method) {
    return new JsonObject().put("id", "req-" + method).put("addr", "10.1.2.3:45678").put("host", HOST)
        .put("method", method).put("useragent", "containerd/1.7");
  }

  private Future<JsonObject> put(String reference, Buffer content, RequestInfo client) {
    return service.request(Addresses.MANIFEST_PUT,
        new ManifestPut(REPO, reference, MediaTypes.OCI_MANIFEST, content).toJson(), client);
  }

  private Future<JsonObject> get(String reference, RequestInfo client) {
    return service.request(Addresses.MANIFEST_GET, new ManifestRequest(REPO, reference).toJson(), client);
  }

  private Future<JsonObject> delete(String reference) {
    return service.request(Addresses.MANIFEST_DELETE, new ManifestRequest(REPO, reference).toJson(),
        client("DELETE", "bob"));
  }

  /** Pushes the image under each tag, for no client, and takes the events that made. */
  private void pushed(String... tags) {
    for (String tag : tags) {
      result(put(tag, IMAGE, RequestInfo.NONE));
      events.next();
    }
  }

  private static JsonObject imageTarget(String tag) {
    JsonObject target = new JsonObject().put("mediaType", MediaTypes.OCI_MANIFEST).put("digest", IMAGE_DIGEST)
        .put("size", IMAGE.length()).put("length", IMAGE.length()).put("repository", REPO)
        .put("url", "http://" + HOST + "/v2/" + REPO + "/manifests/" + IMAGE_DIGEST);
    if (tag != null) {
      target.put("tag", tag);
    }
    return target.put("references", new JsonArray().add(CONFIG).add(LAYER_ONE).add(LAYER_TWO));
  }

  /** The event but for id, timestamp (both checked) and source (the blob service's test checks it). */
  private JsonObject nextEvent() {
    JsonObject event = EventRecorder.stable(events.next());
    event.remove("source");
    return event;
  }

  private static JsonObject event(String action, JsonObject target, String method, String actor) {
    return new JsonObject().put("action", action).put("target", target).put("request", request(method))
        .put("actor", actor.isEmpty() ? new JsonObject() : new JsonObject().put("name", actor));
  }

  private static JsonObject deleteTarget(String digest, String tag) {
    JsonObject target = new JsonObject();
    if (digest != null) {
      target.put("digest", digest);
    }
    target.put("repository", REPO);
    return tag == null ? target : target.put("tag", tag);
  }

  @Test
  void pushByTagPublishesAPushWithTypeDigestSizeRepositoryUrlTagAndReferences() {
    start(false);

    result(put("1.0", IMAGE, client("PUT", "alice")));

    assertEquals(event("push", imageTarget("1.0"), "PUT", "alice"), nextEvent());
    assertEquals(List.of(), events.drain());
  }

  @Test
  void pushByDigestPublishesAPushWithoutTagAndAnEmptyActorWhenNoUserWasAuthenticated() {
    start(false);

    result(put(IMAGE_DIGEST, IMAGE, client("PUT", "")));

    assertEquals(event("push", imageTarget(null), "PUT", ""), nextEvent());
  }

  @Test
  void pushPullAndDeleteBySha512DigestNameTheSha512DigestAndItsUrl() {
    start(true);
    String digest = ContentDigest.of(Digest.SHA512, IMAGE).toString();
    JsonObject target = imageTarget(null).put("digest", digest)
        .put("url", "http://" + HOST + "/v2/" + REPO + "/manifests/" + digest);

    result(put(digest, IMAGE, client("PUT", "alice")));
    result(get(digest, client("GET", "alice")));
    result(delete(digest));

    assertEquals(event("push", target, "PUT", "alice"), nextEvent());
    assertEquals(event("pull", target, "GET", "alice"), nextEvent());
    assertEquals(event("delete", deleteTarget(digest, null), "DELETE", "bob"), nextEvent());
    assertEquals(List.of(), events.drain());
  }

  @Test
  void pushOfAnIndexReferencesItsChildManifests() {
    start(false);
    pushed(IMAGE_DIGEST);
    JsonObject child = new JsonObject().put("mediaType", MediaTypes.OCI_MANIFEST).put("digest", IMAGE_DIGEST)
        .put("size", IMAGE.length()).put("platform", new JsonObject().put("os", "linux").put("architecture", "arm64"));
    Buffer index = new JsonObject().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX)
        .put("manifests", new JsonArray().add(child)).toBuffer();

    result(service.request(Addresses.MANIFEST_PUT,
        new ManifestPut(REPO, "multi", MediaTypes.OCI_INDEX, index).toJson(), client("PUT", "alice")));

    String digest = Sha256.of(index).toString();
    assertEquals(event("push", new JsonObject().put("mediaType", MediaTypes.OCI_INDEX).put("digest", digest)
        .put("size", index.length()).put("length", index.length()).put("repository", REPO)
        .put("url", "http://" + HOST + "/v2/" + REPO + "/manifests/" + digest).put("tag", "multi")
        .put("references", new JsonArray().add(child)), "PUT", "alice"), nextEvent());
  }

  @Test
  void pushReferencingAnUnknownBlobPublishesNothing() {
    start(false);
    Buffer missing = new JsonObject(IMAGE).put("layers", new JsonArray().add(descriptor(LAYER_TYPE,
        '9', 10))).toBuffer();

    failsWith(ErrorCode.MANIFEST_BLOB_UNKNOWN, put("1.0", missing, client("PUT", "alice")));

    assertEquals(List.of(), events.drain());
  }

  @Test
  void pushWhoseContentDoesNotMatchTheDigestPublishesNothing() {
    start(false);

    failsWith(ErrorCode.DIGEST_INVALID, put("sha256:" + "0".repeat(64), IMAGE, client("PUT", "alice")));

    assertEquals(List.of(), events.drain());
  }

  @Test
  void getByTagPublishesAPullWithTheTag() {
    start(false);
    pushed("1.0");

    result(get("1.0", client("GET", "alice")));

    assertEquals(event("pull", imageTarget("1.0"), "GET", "alice"), nextEvent());
    assertEquals(List.of(), events.drain());
  }

  @Test
  void getByDigestPublishesAPullWithoutTag() {
    start(false);
    pushed("1.0");

    result(get(IMAGE_DIGEST, client("GET", "alice")));

    assertEquals(event("pull", imageTarget(null), "GET", "alice"), nextEvent());
  }

  @Test
  void headPublishesNoPull() {
    start(false);
    pushed("1.0");

    result(get("1.0", client("HEAD", "alice")));
    result(get(IMAGE_DIGEST, client("HEAD", "alice")));

    assertEquals(List.of(), events.drain());
  }

  @Test
  void aReadForNoClientPublishesNoPull() {
    start(false);
    pushed("1.0");

    result(service.request(Addresses.MANIFEST_GET, new ManifestRequest(REPO, "1.0").toJson()));

    assertEquals(List.of(), events.drain());
  }

  @Test
  void getOfAnUnknownTagPublishesNothing() {
    start(false);
    pushed("1.0");

    failsWith(ErrorCode.MANIFEST_UNKNOWN, get("2.0", client("GET", "alice")));

    assertEquals(List.of(), events.drain());
  }

  @Test
  void pullOfAStoredManifestThatDoesNotParseAsAPushedOneListsNoReferences() throws IOException {
    start(false);
    Buffer schema1 = Buffer.buffer("{\"schemaVersion\":1,\"name\":\"team/app\",\"tag\":\"old\",\"fsLayers\":[]}");
    Digest digest = Sha256.of(schema1);
    write(StorageLayout.blobData(digest), schema1);
    write(StorageLayout.revisionLink(RepositoryName.parse(REPO), digest), StorageLayout.link(digest));

    result(get(digest.toString(), client("GET", "alice")));

    JsonObject target = events.next().getJsonObject("target");
    assertEquals(new JsonObject().put("mediaType", MediaTypes.DOCKER_SCHEMA1).put("digest", digest.toString())
        .put("size", schema1.length()).put("length", schema1.length()).put("repository", REPO)
        .put("url", "http://" + HOST + "/v2/" + REPO + "/manifests/" + digest), target);
  }

  private void write(String layoutPath, Buffer content) throws IOException {
    Path file = root.resolve(layoutPath);
    Files.createDirectories(file.getParent());
    Files.write(file, content.getBytes());
  }

  @Test
  void deleteByDigestPublishesAManifestDeleteThenATagDeleteForEachTagThatNamedIt() {
    start(true);
    pushed("1.0", "latest");

    result(delete(IMAGE_DIGEST));

    assertEquals(event("delete", deleteTarget(IMAGE_DIGEST, null), "DELETE", "bob"), nextEvent());
    assertEquals(event("delete", deleteTarget(null, "1.0"), "DELETE", "bob"), nextEvent());
    assertEquals(event("delete", deleteTarget(null, "latest"), "DELETE", "bob"), nextEvent());
    assertEquals(List.of(), events.drain());
  }

  @Test
  void deleteOfATagPublishesADeleteNamingOnlyRepositoryAndTag() {
    start(true);
    pushed("1.0", "latest");

    result(delete("latest"));

    assertEquals(event("delete", deleteTarget(null, "latest"), "DELETE", "bob"), nextEvent());
    assertEquals(List.of(), events.drain());
  }

  @Test
  void deleteWhileDeletionIsDisabledPublishesNothing() {
    start(false);
    pushed("1.0");

    failsWith(ErrorCode.UNSUPPORTED, delete(IMAGE_DIGEST));
    failsWith(ErrorCode.UNSUPPORTED, delete("1.0"));

    assertEquals(List.of(), events.drain());
  }

  @Test
  void deleteOfAnUnknownManifestOrTagPublishesNothing() {
    start(true);
    pushed("1.0");

    failsWith(ErrorCode.MANIFEST_UNKNOWN, delete("sha256:" + "0".repeat(64)));
    failsWith(ErrorCode.MANIFEST_UNKNOWN, delete("2.0"));

    assertEquals(List.of(), events.drain());
  }
}
