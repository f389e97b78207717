package io.berth.manifest;

import static io.berth.common.testing.Await.result;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.message.ManifestContent;
import io.berth.common.bus.message.ManifestPut;
import io.berth.common.bus.message.ManifestRequest;
import io.berth.common.oci.MediaTypes;
import io.berth.common.oci.Sha256;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Two manifest services on one storage, as two processes of a scaled-out registry are: what one writes, the other
 * reads. Images are distinguished by a letter, which names their config and layer blobs.
 */
final class TwoManifestProcesses implements AutoCloseable {
  static final String REPO = "team/app";

  final RunningManifestService writer;
  final RunningManifestService reader;

  TwoManifestProcesses(RunningManifestService writer, RunningManifestService reader) {
    this.writer = writer;
    this.reader = reader;
  }

  static Buffer image(char letter) {
    return new JsonObject().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST)
        .put("config", descriptor("application/vnd.oci.image.config.v1+json", blob("config", letter)))
        .put("layers", new JsonArray().add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip",
            blob("layer", letter))))
        .toBuffer();
  }

  static String digest(char letter) {
    return Sha256.of(image(letter)).toString();
  }

  private static JsonObject descriptor(String mediaType, String digest) {
    return new JsonObject().put("mediaType", mediaType).put("digest", digest).put("size", 100);
  }

  private static String blob(String kind, char letter) {
    return Sha256.of(Buffer.buffer(kind + " of image " + letter)).toString();
  }

  /** Lets both stand-in blob services know the blobs of these images. */
  void knowImages(char... letters) {
    knowImages(writer, letters);
    knowImages(reader, letters);
  }

  static void knowImages(RunningManifestService service, char... letters) {
    for (char letter : letters) {
      service.knowBlob(blob("config", letter));
      service.knowBlob(blob("layer", letter));
    }
  }

  static void push(RunningManifestService service, String reference, char letter) {
    result(service.request(Addresses.MANIFEST_PUT,
        new ManifestPut(REPO, reference, MediaTypes.OCI_MANIFEST, image(letter)).toJson()));
  }

  static Future<ManifestContent> get(RunningManifestService service, String reference) {
    return service.request(Addresses.MANIFEST_GET, new ManifestRequest(REPO, reference).toJson())
        .map(ManifestContent::fromJson);
  }

  static void delete(RunningManifestService service, String reference) {
    result(service.request(Addresses.MANIFEST_DELETE, new ManifestRequest(REPO, reference).toJson()));
  }

  @Override
  public void close() {
    try {
      writer.close();
    } finally {
      reader.close();
    }
  }
}
