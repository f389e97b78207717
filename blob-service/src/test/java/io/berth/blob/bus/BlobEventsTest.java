package io.berth.blob.bus;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.berth.blob.RunningBlobService;
import io.berth.common.bus.Addresses;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.BlobRequest;
import io.berth.common.bus.message.MountRequest;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.error.ErrorCode;
import io.berth.common.event.RequestInfo;
import io.berth.common.oci.ContentDigest;
import io.berth.common.oci.Digest;
import io.berth.common.oci.UploadId;
import io.berth.common.testing.EventRecorder;
import io.berth.common.testing.TestBytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The events the real BlobVerticle publishes for blob pushes, pulls, mounts and deletes, and for nothing else. */
class BlobEventsTest {
  private static final String REPO = "team/app";
  private static final String OTHER = "team/other";
  private static final Buffer CONTENT = TestBytes.random(10_000, 3);
  private static final String DIGEST = TestBytes.sha256(CONTENT).toString();
  private static final String HOST = "registry.test:5000";

  @TempDir
  Path root;

  private RunningBlobService service;
  private EventRecorder events;

  private void start(boolean deleteEnabled, Map<String, String> environment) {
    Map<String, String> env = new HashMap<>(environment);
    env.put("REGISTRY_HTTP_ADDR", "127.0.0.1:5123");
    service = RunningBlobService.start(root, deleteEnabled, env);
    events = EventRecorder.listen(service.vertx());
  }

  private void start(boolean deleteEnabled) {
    start(deleteEnabled, Map.of());
  }

  @AfterEach
  void stop() {
    service.close();
  }

  private static RequestInfo client(String method) {
    return new RequestInfo("req-" + method, "10.1.2.3:45678", HOST, method, "skopeo/1.16", "alice");
  }

  private static JsonObject request(String method) {
    return new JsonObject().put("id", "req-" + method).put("addr", "10.1.2.3:45678").put("host", HOST)
        .put("method", method).put("useragent", "skopeo/1.16");
  }

  private static JsonObject blobTarget(String repository) {
    return new JsonObject().put("mediaType", "application/octet-stream").put("digest", DIGEST)
        .put("size", CONTENT.length()).put("length", CONTENT.length()).put("repository", repository)
        .put("url", "http://" + HOST + "/v2/" + repository + "/blobs/" + DIGEST);
  }

  /** The source of an event, after checking it names this host, the configured port and a UUID. */
  private static JsonObject source(JsonObject event) {
    JsonObject source = event.getJsonObject("source");
    try {
      assertEquals(InetAddress.getLocalHost().getHostName() + ":5123", source.getString("addr"));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
    UUID.fromString(source.getString("instanceID"));
    return source;
  }

  /** The next event, whole but for its id and timestamp (checked, then left out). */
  private JsonObject nextEvent() {
    return EventRecorder.stable(events.next());
  }

  private void pushed(RequestInfo client) {
    service.push(REPO, CONTENT, client);
  }

  @Test
  void completedUploadPublishesABlobPushWithDescriptorRepositoryUrlRequestActorAndSource() {
    start(false);

    pushed(client("PUT"));

    JsonObject event = nextEvent();
    JsonObject expected = new JsonObject().put("action", "push").put("target", blobTarget(REPO))
        .put("request", request("PUT")).put("actor", new JsonObject().put("name", "alice"))
        .put("source", source(event));
    assertEquals(expected, event);
    assertEquals(List.of(), events.drain());
  }

  @Test
  void uploadCompletedWithASha512DigestPublishesAPushNamingTheSha512DigestAndItsUrl() {
    start(false);
    UploadId uuid = service.startUpload(REPO).uuid();
    String sha512 = ContentDigest.of(Digest.SHA512, CONTENT).toString();

    result(service.write(new UploadRequest(REPO, uuid, 0, sha512), client("PUT"), CONTENT));

    JsonObject target = nextEvent().getJsonObject("target");
    assertEquals(blobTarget(REPO).put("digest", sha512)
        .put("url", "http://" + HOST + "/v2/" + REPO + "/blobs/" + sha512), target);
    assertEquals(List.of(), events.drain());
  }

  @Test
  void everyEventHasItsOwnIdAndTheProcessSharesOneInstanceId() {
    start(false);

    pushed(client("PUT"));
    service.push(OTHER, CONTENT, client("PUT"));

    JsonObject first = events.next();
    JsonObject second = events.next();
    assertNotEquals(first.getString("id"), second.getString("id"));
    assertEquals(source(first), source(second));
  }

  @Test
  void chunksThatDoNotCompleteTheUploadPublishNothingUntilTheLastOneCommits() {
    start(false);
    UploadId uuid = service.startUpload(REPO).uuid();

    result(service.write(new UploadRequest(REPO, uuid, 0, null), client("PATCH"), CONTENT.slice(0, 4000)));
    assertEquals(List.of(), events.drain());
    result(service.write(new UploadRequest(REPO, uuid, 4000, DIGEST), client("PUT"), CONTENT.slice(4000,
        CONTENT.length())));

    assertEquals("push", events.next().getString("action"));
    assertEquals(List.of(), events.drain());
  }

  @Test
  void uploadWhoseDigestDoesNotMatchPublishesNothing() {
    start(false);
    UploadId uuid = service.startUpload(REPO).uuid();
    Digest wrong = TestBytes.sha256(Buffer.buffer("something else"));

    failsWith(ErrorCode.DIGEST_INVALID,
        service.write(new UploadRequest(REPO, uuid, 0, wrong.toString()), client("PUT"), CONTENT));

    assertEquals(List.of(), events.drain());
  }

  @Test
  void statForAGetPublishesABlobPull() {
    start(false);
    pushed(RequestInfo.NONE);
    events.next();

    BlobInfo info = BlobInfo.fromJson(result(service.request(Addresses.BLOB_STAT,
        new BlobRequest(REPO, DIGEST).toJson(), client("GET"))));

    assertEquals(DIGEST, info.digest());
    JsonObject event = nextEvent();
    assertEquals(new JsonObject().put("action", "pull").put("target", blobTarget(REPO))
        .put("request", request("GET")).put("actor", new JsonObject().put("name", "alice"))
        .put("source", source(event)), event);
  }

  @Test
  void statForAHeadPublishesNothing() {
    start(false);
    pushed(RequestInfo.NONE);
    events.next();

    result(service.request(Addresses.BLOB_STAT, new BlobRequest(REPO, DIGEST).toJson(), client("HEAD")));

    assertEquals(List.of(), events.drain());
  }

  @Test
  void statForNoClientAsTheManifestServiceMakesItPublishesNothing() {
    start(false);
    pushed(RequestInfo.NONE);
    events.next();

    result(service.request(Addresses.BLOB_STAT, new BlobRequest(REPO, DIGEST).toJson()));

    assertEquals(List.of(), events.drain());
  }

  @Test
  void statOfAnUnknownBlobPublishesNothing() {
    start(false);

    failsWith(ErrorCode.BLOB_UNKNOWN,
        service.request(Addresses.BLOB_STAT, new BlobRequest(REPO, DIGEST).toJson(), client("GET")));

    assertEquals(List.of(), events.drain());
  }

  @Test
  void mountPublishesAMountNamingTheRepositoryItCameFrom() {
    start(false);
    pushed(RequestInfo.NONE);
    events.next();

    result(service.request(Addresses.BLOB_MOUNT, new MountRequest(OTHER, REPO, DIGEST).toJson(), client("POST")));

    JsonObject event = nextEvent();
    assertEquals(new JsonObject().put("action", "mount").put("target", blobTarget(OTHER).put("fromRepository", REPO))
        .put("request", request("POST")).put("actor", new JsonObject().put("name", "alice"))
        .put("source", source(event)), event);
  }

  @Test
  void mountFromARepositoryWithoutTheBlobPublishesNothing() {
    start(false);

    failsWith(ErrorCode.BLOB_UNKNOWN,
        service.request(Addresses.BLOB_MOUNT, new MountRequest(OTHER, REPO, DIGEST).toJson(), client("POST")));

    assertEquals(List.of(), events.drain());
  }

  @Test
  void deletePublishesADeleteNamingOnlyDigestAndRepository() {
    start(true);
    pushed(RequestInfo.NONE);
    events.next();

    result(service.request(Addresses.BLOB_DELETE, new BlobRequest(REPO, DIGEST).toJson(), client("DELETE")));

    JsonObject event = nextEvent();
    assertEquals(new JsonObject().put("action", "delete")
        .put("target", new JsonObject().put("digest", DIGEST).put("repository", REPO))
        .put("request", request("DELETE")).put("actor", new JsonObject().put("name", "alice"))
        .put("source", source(event)), event);
  }

  @Test
  void deleteWhileDeletionIsDisabledPublishesNothing() {
    start(false);
    pushed(RequestInfo.NONE);
    events.next();

    failsWith(ErrorCode.UNSUPPORTED,
        service.request(Addresses.BLOB_DELETE, new BlobRequest(REPO, DIGEST).toJson(), client("DELETE")));

    assertEquals(List.of(), events.drain());
  }

  @Test
  void deleteOfABlobTheRepositoryDoesNotLinkPublishesNothing() {
    start(true);

    failsWith(ErrorCode.BLOB_UNKNOWN,
        service.request(Addresses.BLOB_DELETE, new BlobRequest(REPO, DIGEST).toJson(), client("DELETE")));

    assertEquals(List.of(), events.drain());
  }

  @Test
  void urlIsOnHttpHostWhenItIsSetWhateverHostTheClientUsed() {
    start(false, Map.of("REGISTRY_HTTP_HOST", "https://registry.example.com/", "REGISTRY_HTTP_PREFIX", "/mirror"));

    pushed(client("PUT"));

    assertEquals("https://registry.example.com/mirror/v2/" + REPO + "/blobs/" + DIGEST,
        events.next().getJsonObject("target").getString("url"));
  }

  @Test
  void eventWithoutAUserHasAnEmptyActor() {
    start(false);

    pushed(new RequestInfo("req-anonymous", "10.1.2.3:45678", HOST, "PUT", "skopeo/1.16", ""));

    assertEquals(new JsonObject(), events.next().getJsonObject("actor"));
  }
}
