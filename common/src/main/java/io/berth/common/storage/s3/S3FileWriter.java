package io.berth.common.storage.s3;

import io.berth.common.config.S3Config;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.storage.FileWriter;
import io.berth.common.storage.PathNotFoundException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * An upload's data as an S3 multipart upload at the file's key, kept as distribution's s3-aws writer keeps it. Written bytes are held until they fill a part of {@code chunksize} (at most
 * one part in memory per writer, never anything on local disk); {@link #close} sends what is held as a last, possibly
 * short, part, so every byte written is in S3 when a request ends.
 *
 * <p>S3 takes a part under 5 MiB only as the last one. A writer that resumes after such a part therefore first makes
 * the upload whole (CompleteMultipartUpload: the object now holds every byte so far), starts a new multipart upload,
 * and puts the object back as its first parts: copied inside S3 when it is 5 MiB or more, or read back into the
 * part being filled when it is smaller, the only bytes a writer ever reads. This happens on the first write after
 * resuming, never for a resume that only asks the size.
 */
final class S3FileWriter implements FileWriter {
  private final S3StorageDriver driver;
  private final S3Config config;
  private final String path;
  private final String key;
  /** The multipart upload in progress; null when the bytes so far are the complete object at the key. */
  private String uploadId;
  private final List<CompletedPart> parts;
  private long lastPartSize;
  /** The bytes in S3: in the upload's parts, or in the object when no upload is in progress. */
  private long durable;
  private long size;
  private final List<Buffer> held = new ArrayList<>();
  private long heldBytes;
  private Future<Void> tail = Future.succeededFuture();
  private Throwable broken;
  /** Whether this writer holds a part of the {@link PartBudget}: from before its first held byte until it holds none. */
  private boolean reserved;

  private S3FileWriter(S3StorageDriver driver, String path, String key, String uploadId, List<CompletedPart> parts,
      long lastPartSize, long size) {
    this.driver = driver;
    this.config = driver.config();
    this.path = path;
    this.key = key;
    this.uploadId = uploadId;
    this.parts = new ArrayList<>(parts);
    this.lastPartSize = lastPartSize;
    this.durable = size;
    this.size = size;
  }

  static Future<FileWriter> create(S3StorageDriver driver, String path, String key) {
    return driver.calls().call(path, () -> driver.client().createMultipartUpload(driver.createMultipartUpload(key)))
        .map(created -> new S3FileWriter(driver, path, key, created.uploadId(), List.of(), 0, 0));
  }

  /**
   * The multipart upload in progress at the key with its parts, or else the complete object there. An upload that
   * holds fewer bytes than an object at the key is a restart (see the class comment) cut short, and is dropped for the
   * object.
   */
  static Future<FileWriter> resume(S3StorageDriver driver, String path, String key) {
    return findUpload(driver, path, key, null, null).compose(upload -> {
      Future<Long> object = driver.head(path).map(head -> head.contentLength())
          .recover(failure -> failure instanceof PathNotFoundException ? Future.succeededFuture(-1L)
              : Future.failedFuture(failure));
      if (upload == null) {
        return object.compose(objectSize -> objectSize < 0 ? Future.failedFuture(new PathNotFoundException(path))
            : Future.succeededFuture(new S3FileWriter(driver, path, key, null, List.of(), 0, objectSize)));
      }
      List<Part> listed = new ArrayList<>();
      return listParts(driver, path, key, upload.uploadId(), null, listed).compose(v -> object).compose(objectSize -> {
        listed.sort(Comparator.comparing(Part::partNumber));
        long partsSize = listed.stream().mapToLong(Part::size).sum();
        if (objectSize > partsSize) {
          return driver.calls().call(path, () -> driver.client().abortMultipartUpload(b -> b.bucket(driver.config()
                  .bucket()).key(key).uploadId(upload.uploadId())))
              .map(aborted -> new S3FileWriter(driver, path, key, null, List.of(), 0, objectSize));
        }
        List<CompletedPart> completed = listed.stream()
            .map(part -> CompletedPart.builder().partNumber(part.partNumber()).eTag(part.eTag()).build()).toList();
        long last = listed.isEmpty() ? 0 : listed.get(listed.size() - 1).size();
        return Future.succeededFuture(new S3FileWriter(driver, path, key, upload.uploadId(), completed, last,
            partsSize));
      });
    });
  }

  private static Future<MultipartUpload> findUpload(S3StorageDriver driver, String path, String key, String keyMarker,
      String uploadMarker) {
    return driver.calls().call(path, () -> driver.client().listMultipartUploads(b -> b.bucket(driver.config().bucket())
            .prefix(key).keyMarker(keyMarker).uploadIdMarker(uploadMarker)))
        .compose(page -> {
          for (MultipartUpload upload : page.uploads()) {
            if (upload.key().equals(key)) {
              return Future.succeededFuture(upload);
            }
          }
          return Boolean.TRUE.equals(page.isTruncated()) && page.nextKeyMarker() != null
              ? findUpload(driver, path, key, page.nextKeyMarker(), page.nextUploadIdMarker())
              : Future.succeededFuture();
        });
  }

  /** S3Proxy leaves {@code IsTruncated} out of its answer (distribution panics on that); absent means no more. */
  private static Future<Void> listParts(S3StorageDriver driver, String path, String key, String uploadId,
      Integer marker, List<Part> into) {
    return driver.calls().call(path, () -> driver.client().listParts(b -> b.bucket(driver.config().bucket()).key(key)
            .uploadId(uploadId).partNumberMarker(marker)))
        .compose(page -> {
          into.addAll(page.parts());
          return Boolean.TRUE.equals(page.isTruncated()) && page.nextPartNumberMarker() != null
              ? listParts(driver, path, key, uploadId, page.nextPartNumberMarker(), into) : Future.succeededFuture();
        });
  }

  @Override
  public long size() {
    return size;
  }

  /** Calls run one after the other, in the order made, whether or not the caller waited for the one before. */
  private Future<Void> enqueue(Supplier<Future<Void>> operation) {
    Future<Void> result = tail.transform(before -> broken != null ? Future.failedFuture(broken) : operation.get())
        .onFailure(failure -> broken = failure);
    tail = result.otherwiseEmpty().andThen(done -> releaseIfEmpty());
    return result;
  }

  /** A broken writer's held bytes are never sent: they are dropped with its part. */
  private void releaseIfEmpty() {
    if (broken != null) {
      held.clear();
      heldBytes = 0;
    }
    if (reserved && heldBytes == 0) {
      reserved = false;
      driver.budget().release();
    }
  }

  private Future<Void> reservePart() {
    if (reserved) {
      return Future.succeededFuture();
    }
    return driver.budget().reserve(driver.calls().context()).onSuccess(v -> reserved = true);
  }

  /** S3 takes at most so many parts: the byte that would need one more is refused before anything is sent. */
  private Future<Void> withinPartLimit(Buffer chunk) {
    int limit = driver.budget().maxPartsPerUpload();
    long pending = heldBytes + chunk.length();
    if (parts.size() + (pending + config.chunkSize() - 1) / config.chunkSize() <= limit) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "upload too large: S3 takes at "
        + "most " + limit + " parts of storage.s3.chunksize (" + config.chunkSize() + " bytes) in one upload, at most "
        + limit * config.chunkSize() + " bytes"));
  }

  @Override
  public Future<Void> write(Buffer chunk) {
    size += chunk.length();
    return enqueue(() -> reservePart()
        .compose(v -> mustRestart() ? restart() : Future.<Void>succeededFuture())
        .compose(v -> withinPartLimit(chunk))
        .compose(v -> hold(chunk)));
  }

  private boolean mustRestart() {
    return uploadId == null || (!parts.isEmpty() && lastPartSize < S3Config.MIN_CHUNK_SIZE);
  }

  private Future<Void> restart() {
    Future<Void> whole = uploadId == null ? Future.succeededFuture()
        : driver.calls().call(path, () -> driver.client().completeMultipartUpload(b -> b.bucket(config.bucket())
            .key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)))).mapEmpty();
    return whole
        .compose(v -> driver.calls().call(path, () -> driver.client().createMultipartUpload(
            driver.createMultipartUpload(key))))
        .compose(created -> {
          uploadId = created.uploadId();
          parts.clear();
          lastPartSize = 0;
          if (durable == 0) {
            return Future.succeededFuture();
          }
          if (durable < S3Config.MIN_CHUNK_SIZE) {
            return driver.calls().call(path, () -> driver.client().getObject(b -> b.bucket(config.bucket()).key(key),
                    AsyncResponseTransformer.toBytes()))
                .map(bytes -> {
                  held.add(0, Buffer.buffer(bytes.asByteArrayUnsafe()));
                  heldBytes += durable;
                  durable = 0;
                  return null;
                });
          }
          return new S3Copy(driver, path).parts(uploadId, key, key, durable, 1).map(copied -> {
            parts.addAll(copied);
            List<long[]> ranges = S3Copy.ranges(durable, config.multipartCopyChunkSize());
            long[] last = ranges.get(ranges.size() - 1);
            lastPartSize = last[1] - last[0] + 1;
            return null;
          });
        });
  }

  /** Holds the bytes, sending a part each time a whole one is held. */
  private Future<Void> hold(Buffer chunk) {
    held.add(chunk);
    heldBytes += chunk.length();
    Future<Void> sent = Future.succeededFuture();
    while (heldBytes >= config.chunkSize()) {
      List<Buffer> part = take(config.chunkSize());
      sent = sent.compose(v -> uploadPart(part));
    }
    return sent;
  }

  /** The first {@code count} held bytes, splitting a buffer without copying it. */
  private List<Buffer> take(long count) {
    List<Buffer> part = new ArrayList<>();
    long needed = count;
    while (needed > 0) {
      Buffer first = held.remove(0);
      if (first.length() <= needed) {
        part.add(first);
        needed -= first.length();
      } else {
        part.add(first.slice(0, (int) needed));
        held.add(0, first.slice((int) needed, first.length()));
        needed = 0;
      }
    }
    heldBytes -= count;
    return part;
  }

  private Future<Void> uploadPart(List<Buffer> buffers) {
    int number = parts.size() + 1;
    List<ByteBuffer> nio = new ArrayList<>();
    long length = 0;
    for (Buffer buffer : buffers) {
      for (ByteBuffer part : ((BufferInternal) buffer).getByteBuf().nioBuffers()) {
        nio.add(part);
      }
      length += buffer.length();
    }
    long partSize = length;
    return driver.calls().call(path, () -> driver.client().uploadPart(b -> b.bucket(config.bucket()).key(key)
                .uploadId(uploadId).partNumber(number).contentLength(partSize),
            AsyncRequestBody.fromByteBuffersUnsafe(nio.toArray(ByteBuffer[]::new))))
        .map(uploaded -> {
          parts.add(CompletedPart.builder().partNumber(number).eTag(uploaded.eTag()).build());
          lastPartSize = partSize;
          durable += partSize;
          return null;
        });
  }

  @Override
  public Future<Void> close() {
    return enqueue(() -> heldBytes == 0 ? Future.succeededFuture() : uploadPart(take(heldBytes)));
  }

  /**
   * A file that never filled a part is put whole (PutObject) and its multipart upload dropped; a larger one is
   * completed from its parts. A failed completion aborts the upload: nothing is left half-made.
   */
  @Override
  public Future<Void> commit() {
    return enqueue(() -> {
      if (uploadId == null) {
        return Future.succeededFuture();
      }
      if (parts.isEmpty()) {
        List<Buffer> content = take(heldBytes);
        Buffer whole = Buffer.buffer();
        content.forEach(whole::appendBuffer);
        return abort().compose(v -> driver.calls().call(path, () -> driver.client().putObject(driver.put(key),
            AsyncRequestBody.fromBytes(whole.getBytes())))).mapEmpty();
      }
      Future<Void> last = heldBytes == 0 ? Future.succeededFuture() : uploadPart(take(heldBytes));
      return last.compose(v -> driver.calls().call(path, () -> driver.client().completeMultipartUpload(b -> b
              .bucket(config.bucket()).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)))))
          .<Void>mapEmpty()
          .recover(failure -> abort().transform(aborted -> Future.failedFuture(failure)));
    });
  }

  @Override
  public Future<Void> cancel() {
    return enqueue(() -> {
      held.clear();
      heldBytes = 0;
      return abort().compose(v -> driver.deleteKeys(path, List.of(key)));
    });
  }

  private Future<Void> abort() {
    if (uploadId == null) {
      return Future.succeededFuture();
    }
    String aborted = uploadId;
    uploadId = null;
    return driver.calls().call(path, () -> driver.client().abortMultipartUpload(b -> b.bucket(config.bucket())
            .key(key).uploadId(aborted)))
        .<Void>mapEmpty()
        .recover(failure -> failure instanceof PathNotFoundException ? Future.succeededFuture()
            : Future.failedFuture(failure));
  }
}
