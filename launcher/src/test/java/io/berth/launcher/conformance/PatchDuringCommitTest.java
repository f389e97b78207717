package io.berth.launcher.conformance;

import static io.berth.launcher.conformance.OciClient.OCTET_STREAM;
import static io.berth.launcher.conformance.OciClient.withQuery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that keeps sending chunks to an upload while its closing PUT is being committed never gets them into the
 * blob: they were appended to the verified file between its verification and its move among the blobs, so the blob
 * was served, and kept for every later push of its digest, with bytes its digest does not name (39 of 40 rounds of
 * this kind, over HTTP on a file system, before the fix; see {@code UploadCommitRaceTest} for the exact moment).
 */
class PatchDuringCommitTest {
  @RegisterExtension
  static final RegistryExtension REGISTRY = new RegistryExtension();
  private static final int ROUNDS = 10;
  private static final int SENDERS = 3;

  @Test
  void chunksSentWhileAnUploadIsCommittedNeverReachTheBlob() throws Exception {
    OciClient client = REGISTRY.client();
    byte[] extra = new byte[1000];
    int committed = 0;
    for (int round = 0; round < ROUNDS; round++) {
      // Large enough that re-reading it for its sha512 keeps the session claimed while the senders start.
      Blob blob = Blob.random(16 * 1024 * 1024 + round).sha512();
      String location = client.patch(client.post("/v2/race/commit/blobs/uploads/", new byte[0]).assertStatus(202)
          .header("Location"), blob.bytes(), "Content-Type", OCTET_STREAM).assertStatus(202).header("Location");
      CompletableFuture<OciResponse> put = CompletableFuture.supplyAsync(
          () -> client.put(withQuery(location, "digest", blob.digest()), new byte[0]));
      Thread.sleep(10);
      AtomicBoolean stop = new AtomicBoolean();
      List<CompletableFuture<Void>> senders = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        senders.add(CompletableFuture.runAsync(() -> {
          while (!stop.get()) {
            client.patch(location, extra, "Content-Type", OCTET_STREAM);
          }
        }));
      }
      OciResponse answer = put.get();
      stop.set(true);
      for (CompletableFuture<Void> sender : senders) {
        sender.get();
      }
      if (answer.status() == 201) {
        committed++;
        byte[] served = client.get("/v2/race/commit/blobs/" + blob.digest()).assertStatus(200).body();
        assertEquals(blob.size(), served.length, "round " + round + ": the blob holds other bytes than its digest's");
        client.get("/v2/race/commit/blobs/" + blob.digest()).assertBody(blob.bytes());
      }
    }
    assertTrue(committed > 0, "no closing PUT was committed: a chunk always came first, so nothing was tested");
  }
}
