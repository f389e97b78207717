package io.berth.blob;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.blob.upload.UploadSessions;
import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusClient;
import io.berth.common.bus.UploadIds;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.StreamOpened;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.bus.message.UploadState;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.berth.common.event.RequestInfo;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.UploadId;
import io.berth.common.storage.StorageLayout;
import io.berth.common.testing.ChunkStreams;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two blob-service "processes" (a BlobVerticle each, with its own session table) on one Vert.x and one storage: a
 * process takes the operations on any session on its own address, and a chunked upload whose requests land on
 * either process, in any order, completes with the right digest.
 */
class UploadAffinityTest {
  private static final String REPO = "team/app";
  private static final Buffer FIRST = TestBytes.random(400_000, 21);
  private static final Buffer SECOND = TestBytes.random(250_003, 22);
  private static final Buffer LAST = TestBytes.random(90_000, 23);
  private static final Buffer WHOLE = Buffer.buffer().appendBuffer(FIRST).appendBuffer(SECOND).appendBuffer(LAST);

  private Path root;
  private Vertx vertx;
  private BusClient bus;
  private UploadSessions a;
  private UploadSessions b;

  @BeforeEach
  void deployTwoProcesses(@TempDir Path temp) {
    root = temp;
    vertx = Vertx.vertx();
    bus = new BusClient(vertx.eventBus(), 10_000);
    RegistryConfig config = result(ConfigLoader.load(vertx, null,
        Map.of("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString())));
    a = new UploadSessions();
    b = new UploadSessions();
    result(vertx.deployVerticle(new BlobVerticle(config, a)));
    result(vertx.deployVerticle(new BlobVerticle(config, b)));
  }

  @AfterEach
  void closeVertx() {
    result(vertx.close());
  }

  private UploadId start() {
    return UploadState.fromJson(result(bus.request(Addresses.UPLOAD_START, new JsonObject().put("repository", REPO))))
        .uuid();
  }

  /** A write that lands on {@code process}, whoever opened the session. */
  private Future<JsonObject> write(UploadSessions process, UploadId uuid, long offset, Digest digest, Buffer part) {
    UploadRequest request = new UploadRequest(REPO, uuid, offset, digest == null ? null : digest.toString());
    return bus.request(Addresses.uploadOwner(process.id()), Addresses.UPLOAD_WRITE, request.toJson(),
            RequestInfo.NONE)
        .map(StreamOpened::fromJson)
        .compose(opened -> ChunkStreams.send(vertx, opened.address(), List.of(part)));
  }

  private UploadState status(UploadSessions process, UploadId uuid) {
    return UploadState.fromJson(result(bus.request(Addresses.uploadOwner(process.id()), Addresses.UPLOAD_STATUS,
        UploadRequest.of(REPO, uuid).toJson(), RequestInfo.NONE)));
  }

  private UploadSessions owner(UploadId uuid) {
    Optional<String> id = UploadIds.owner(uuid);
    assertTrue(id.isPresent(), uuid::value);
    return id.get().equals(a.id()) ? a : b;
  }

  @Test
  void eachProcessOpensSessionsThatEndInItsOwnId() {
    Set<String> owners = Stream.generate(this::start).limit(4)
        .map(uuid -> UploadIds.owner(uuid).orElseThrow()).collect(Collectors.toSet());

    assertEquals(Set.of(a.id(), b.id()), owners);
  }

  /** Each letter says where one request after the start lands: O the process that opened the session, X the other. */
  @ParameterizedTest
  @ValueSource(strings = {"OOO", "OOX", "OXO", "OXX", "XOO", "XOX", "XXO", "XXX"})
  void aChunkedUploadCompletesWithTheRightDigestWhereverItsRequestsLand(String landings) throws Exception {
    UploadId uuid = start();
    UploadSessions owner = owner(uuid);
    UploadSessions other = owner == a ? b : a;
    List<UploadSessions> at = landings.chars().mapToObj(c -> c == 'O' ? owner : other).toList();

    UploadState afterFirst = UploadState.fromJson(result(write(at.get(0), uuid, 0, null, FIRST)));
    UploadState afterSecond = UploadState.fromJson(result(write(at.get(1), uuid, FIRST.length(), null, SECOND)));
    UploadState seenByOwner = status(owner, uuid);
    UploadState seenByOther = status(other, uuid);
    BlobInfo committed = BlobInfo.fromJson(result(write(at.get(2), uuid, FIRST.length() + SECOND.length(),
        TestBytes.sha256(WHOLE), LAST)));

    long twoChunks = FIRST.length() + SECOND.length();
    assertEquals(new UploadState(uuid, FIRST.length()), afterFirst);
    assertEquals(new UploadState(uuid, twoChunks), afterSecond);
    assertEquals(new UploadState(uuid, twoChunks), seenByOwner);
    assertEquals(new UploadState(uuid, twoChunks), seenByOther);
    Digest digest = TestBytes.sha256(WHOLE);
    assertEquals(new BlobInfo(digest.toString(), WHOLE.length(), root.resolve(StorageLayout.blobData(digest))
        .toString()), committed);
    assertArrayEquals(WHOLE.getBytes(), Files.readAllBytes(root.resolve(StorageLayout.blobData(digest))));
    assertFalse(Files.exists(root.resolve(StorageLayout.upload(RepositoryName.parse(REPO), uuid))));
  }
}
