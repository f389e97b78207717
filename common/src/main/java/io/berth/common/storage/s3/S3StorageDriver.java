package io.berth.common.storage.s3;

import io.berth.common.config.ConfigException;
import io.berth.common.config.S3Config;
import io.berth.common.storage.FileWriter;
import io.berth.common.storage.PathNotFoundException;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StoragePaths;
import io.berth.common.storage.StorageUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Storage in an S3 bucket (or any S3-compatible service at {@code regionendpoint}), laid out exactly as distribution's
 * s3-aws driver lays it out ({@link S3Keys}), so distribution and Berth serve each other's buckets. Every call goes
 * through the SDK's asynchronous client and comes back on the caller's context; no event loop ever waits.
 *
 * <p>S3 has no directories: a directory is the prefix of the keys below it, exists while a key has it, and its moves
 * and deletes are one request per object (or per 1,000 objects), not atomic as a file system's rename is. A file's
 * modification time is its object's {@code LastModified}, which only a write (or a copy onto itself) sets.
 */
public final class S3StorageDriver implements StorageDriver {
  /** distribution's expiry of the URLs it redirects blob downloads to. */
  public static final Duration REDIRECT_EXPIRY = Duration.ofMinutes(20);
  private static final int LIST_MAX = 1000;
  /** A touch of an object written this recently changes nothing worth a copy (touch serves grace periods of hours). */
  private static final Duration TOUCH_RESOLUTION = Duration.ofMinutes(1);
  private static final String CONTENT_TYPE = "application/octet-stream";
  private static final int ONE_BY_ONE_CONCURRENCY = 8;

  private final S3Clients.Lease lease;
  private final S3Config config;
  private final S3AsyncClient client;
  private final SdkCalls calls;
  private final S3Keys keys;
  private final PartBudget budget;
  /** Set once the server refused DeleteObjects as not implemented. */
  private boolean oneByOne;

  private S3StorageDriver(Vertx vertx, S3Clients.Lease lease, PartBudget budget) {
    this.lease = lease;
    this.budget = budget;
    this.config = lease.config();
    this.client = lease.client();
    this.calls = new SdkCalls(vertx);
    this.keys = new S3Keys(config.rootDirectory());
  }

  /** A driver on the process's shared client for this configuration; {@link #close()} lets go of it. */
  public static S3StorageDriver open(Vertx vertx, S3Config config) {
    S3Clients.Lease lease = S3Clients.acquire(config);
    return new S3StorageDriver(vertx, lease, lease.budget());
  }

  /**
   * Builds the process's client for this configuration on a worker and keeps it until {@code vertx} closes, so the
   * drivers the verticles open on their event loops find it built ({@link S3Clients#acquire(Vertx, S3Config)}).
   */
  public static Future<Void> prepare(Vertx vertx, S3Config config) {
    return S3Clients.acquire(vertx, config).map(lease -> {
      ((VertxInternal) vertx).addCloseHook(completion -> {
        lease.release();
        completion.succeed();
      });
      return null;
    });
  }

  /** A driver whose writers hold their parts within this budget instead of the process's (for tests). */
  static S3StorageDriver open(Vertx vertx, S3Config config, PartBudget budget) {
    return new S3StorageDriver(vertx, S3Clients.acquire(config), budget);
  }

  /**
   * Asks S3 whether the bucket is there and these credentials reach it (HeadBucket), as a registry should before it
   * takes its first push: the failure names the key to fix.
   */
  public Future<Void> checkBucket() {
    return calls.call("", () -> client.headBucket(b -> b.bucket(config.bucket()))).<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(bucketFailure(config, failure)));
  }

  /**
   * How many connections this process's client for this configuration has leased from its pool right now, as the
   * pool counts them (see {@link LeaseProbe}): every driver of the configuration shares the pool, so this counts the
   * connections of all of them. For tests and diagnostics of streams that would hold connections; it costs a
   * HeadBucket.
   */
  public Future<Long> leasedConnections() {
    return Future.fromCompletionStage(LeaseProbe.ask(client, config.bucket()));
  }

  S3Config config() {
    return config;
  }

  S3AsyncClient client() {
    return client;
  }

  SdkCalls calls() {
    return calls;
  }

  PartBudget budget() {
    return budget;
  }

  @Override
  public Future<Buffer> read(String path) {
    return calls.call(path, () -> client.getObject(b -> b.bucket(config.bucket()).key(keys.file(path)),
        AsyncResponseTransformer.toBytes())).map(bytes -> Buffer.buffer(bytes.asByteArrayUnsafe()));
  }

  @Override
  public Future<Void> write(String path, Buffer content) {
    return calls.call(path, () -> client.putObject(put(keys.file(path)), AsyncRequestBody.fromBytes(content.getBytes())))
        .mapEmpty();
  }

  PutObjectRequest put(String key) {
    PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(config.bucket()).key(key)
        .contentType(CONTENT_TYPE).acl(config.objectAcl()).storageClass(config.storageClass());
    if (config.encrypt()) {
      put.serverSideEncryption(encryption()).ssekmsKeyId(config.keyId());
    }
    return put.build();
  }

  CreateMultipartUploadRequest createMultipartUpload(String key) {
    CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(config.bucket())
        .key(key).contentType(CONTENT_TYPE).acl(config.objectAcl()).storageClass(config.storageClass());
    if (config.encrypt()) {
      create.serverSideEncryption(encryption()).ssekmsKeyId(config.keyId());
    }
    return create.build();
  }

  private ServerSideEncryption encryption() {
    return config.keyId() == null ? ServerSideEncryption.AES256 : ServerSideEncryption.AWS_KMS;
  }

  @Override
  public Future<FileStat> stat(String path) {
    if (path.isEmpty()) {
      return directoryStat(path);
    }
    return head(path).map(head -> new FileStat(head.contentLength(), false, head.lastModified().toEpochMilli()))
        .recover(failure -> failure instanceof PathNotFoundException ? directoryStat(path) : Future.failedFuture(failure));
  }

  Future<HeadObjectResponse> head(String path) {
    return calls.call(path, () -> client.headObject(b -> b.bucket(config.bucket()).key(keys.file(path))));
  }

  private Future<FileStat> directoryStat(String path) {
    return calls.call(path, () -> client.listObjectsV2(b -> b.bucket(config.bucket()).prefix(keys.directory(path))
            .maxKeys(1)))
        .compose(page -> page.contents().isEmpty() && page.commonPrefixes().isEmpty()
            ? Future.failedFuture(new PathNotFoundException(path)) : Future.succeededFuture(new FileStat(0, true, 0)));
  }

  /**
   * S3 cannot set a time: the object is copied onto itself, which gives it a new {@code LastModified} (and costs a
   * copy, done inside S3), unless it was written within the last minute.
   */
  @Override
  public Future<Void> touch(String path) {
    return head(path).compose(head -> {
      if (head.lastModified().isAfter(Instant.now().minus(TOUCH_RESOLUTION))) {
        return Future.succeededFuture();
      }
      String key = keys.file(path);
      return new S3Copy(this, path).copy(key, key, head.contentLength(), true);
    });
  }

  @Override
  public Future<List<String>> list(String path) {
    String prefix;
    try {
      prefix = keys.directory(path);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    TreeSet<String> names = new TreeSet<>();
    return listPage(path, prefix, null, names).compose(v -> names.isEmpty() && !path.isEmpty()
        ? Future.failedFuture(new PathNotFoundException(path)) : Future.succeededFuture(List.copyOf(names)));
  }

  private Future<Void> listPage(String path, String prefix, String token, Set<String> names) {
    return calls.call(path, () -> client.listObjectsV2(b -> b.bucket(config.bucket()).prefix(prefix).delimiter("/")
            .maxKeys(LIST_MAX).continuationToken(token)))
        .compose(page -> {
          for (S3Object object : page.contents()) {
            addName(names, object.key().substring(prefix.length()));
          }
          for (CommonPrefix common : page.commonPrefixes()) {
            String child = common.prefix().substring(prefix.length());
            addName(names, child.endsWith("/") ? child.substring(0, child.length() - 1) : child);
          }
          return Boolean.TRUE.equals(page.isTruncated()) ? listPage(path, prefix, page.nextContinuationToken(), names)
              : Future.succeededFuture();
        });
  }

  /** A key ending in "/" (a folder marker some tools write) names no child. */
  private static void addName(Set<String> names, String name) {
    if (!name.isEmpty()) {
      names.add(name);
    }
  }

  /**
   * ListObjectsV2 below the prefix without a delimiter: one request per page, the next one made only once the page
   * is handled. A key that names no path in normal form (a folder marker ending in "/", a "//") is no file of ours.
   */
  @Override
  public Future<Void> walk(String path, Function<List<FileInfo>, Future<Void>> page) {
    String prefix;
    try {
      prefix = keys.directory(path);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return walkPage(path, prefix, null, page);
  }

  private Future<Void> walkPage(String path, String prefix, String token,
      Function<List<FileInfo>, Future<Void>> page) {
    return calls.call(path, () -> client.listObjectsV2(b -> b.bucket(config.bucket()).prefix(prefix)
            .maxKeys(WALK_PAGE).continuationToken(token)))
        .compose(response -> {
          List<FileInfo> files = new ArrayList<>(response.contents().size());
          for (S3Object object : response.contents()) {
            String below = object.key().substring(prefix.length());
            String file = path.isEmpty() ? below : path + "/" + below;
            if (!below.isEmpty() && StoragePaths.isNormal(file)) {
              files.add(new FileInfo(file, object.size(), object.lastModified().toEpochMilli()));
            }
          }
          Future<Void> handled = files.isEmpty() ? Future.succeededFuture() : page.apply(files);
          return handled.compose(v -> Boolean.TRUE.equals(response.isTruncated())
              ? walkPage(path, prefix, response.nextContinuationToken(), page) : Future.succeededFuture());
        });
  }

  /**
   * A file is copied, then its source deleted (distribution's Move); a directory moves object by object, and what the
   * target directory held that the source did not is deleted: S3 has no atomic rename of either.
   */
  @Override
  public Future<Void> move(String from, String to) {
    String fromKey;
    String toKey;
    try {
      fromKey = keys.file(from);
      toKey = keys.file(to);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return head(from)
        .compose(head -> new S3Copy(this, from).copy(fromKey, toKey, head.contentLength(), false)
            .compose(v -> deleteKeys(from, List.of(fromKey))))
        .recover(failure -> failure instanceof PathNotFoundException ? moveDirectory(from, to)
            : Future.failedFuture(failure));
  }

  private Future<Void> moveDirectory(String from, String to) {
    String fromPrefix = keys.directory(from);
    String toPrefix = keys.directory(to);
    List<S3Object> sources = new ArrayList<>();
    List<S3Object> targets = new ArrayList<>();
    // Folder markers hold no content; the file system backend of S3Proxy lists its directories as such keys.
    return allKeys(from, fromPrefix, null, page -> page.stream().filter(o -> !isMarker(o.key())).forEach(sources::add))
        .compose(v -> sources.isEmpty() ? Future.failedFuture(new PathNotFoundException(from))
            : allKeys(to, toPrefix, null, page -> page.stream().filter(o -> !isMarker(o.key()))
                .forEach(targets::add)))
        .compose(v -> {
          Set<String> kept = new TreeSet<>();
          S3Copy copy = new S3Copy(this, from);
          return Bounded.each(sources, config.multipartCopyMaxConcurrency(), source -> {
            String target = toPrefix + source.key().substring(fromPrefix.length());
            kept.add(target);
            return copy.copy(source.key(), target, source.size(), false);
          }).compose(copied -> deleteKeys(to, targets.stream().map(S3Object::key).filter(k -> !kept.contains(k))
              .toList()));
        })
        .compose(v -> deleteKeys(from, sources.stream().map(S3Object::key).toList()));
  }

  /** Every object below a prefix, page by page (no delimiter). */
  private Future<Void> allKeys(String path, String prefix, String token,
      Consumer<List<S3Object>> page) {
    return calls.call(path, () -> client.listObjectsV2(b -> b.bucket(config.bucket()).prefix(prefix)
            .maxKeys(LIST_MAX).continuationToken(token)))
        .compose(response -> {
          page.accept(response.contents());
          return Boolean.TRUE.equals(response.isTruncated())
              ? allKeys(path, prefix, response.nextContinuationToken(), page) : Future.succeededFuture();
        });
  }

  /**
   * The object at the path, every object below it (a page of up to 1,000 keys, one DeleteObjects each) and the
   * multipart uploads in progress there, so that an abandoned upload leaves no parts S3 would keep billing.
   */
  @Override
  public Future<Void> delete(String path) {
    String prefix;
    try {
      prefix = keys.directory(path);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    List<String> markers = new ArrayList<>();
    return deleteBelow(path, prefix, null, markers)
        .compose(v -> {
          // Deepest first: a marker sorts before the keys below it.
          Collections.reverse(markers);
          return deleteKeys(path, markers);
        })
        .compose(v -> path.isEmpty() ? Future.succeededFuture() : deleteFile(path))
        .compose(v -> abortUploads(path, path.isEmpty() ? prefix : keys.file(path), prefix, null, null));
  }

  /**
   * The objects below the prefix, folder markers (keys ending in "/") set aside for after their contents: S3Proxy's
   * file system backend lists its directories as such keys, and never answers the delete of one that is not empty.
   */
  private Future<Void> deleteBelow(String path, String prefix, String token, List<String> markers) {
    return calls.call(path, () -> client.listObjectsV2(b -> b.bucket(config.bucket()).prefix(prefix)
            .maxKeys(LIST_MAX).continuationToken(token)))
        .compose(page -> {
          List<String> objects = new ArrayList<>();
          for (S3Object object : page.contents()) {
            (isMarker(object.key()) ? markers : objects).add(object.key());
          }
          return deleteKeys(path, objects).compose(v -> Boolean.TRUE.equals(page.isTruncated())
              ? deleteBelow(path, prefix, page.nextContinuationToken(), markers) : Future.succeededFuture());
        });
  }

  /**
   * The object at the path, if there is one: asked first, because S3Proxy's file system backend never answers the
   * delete of a key that names one of its directories (a path with files below it) and S3 answers a HEAD of it 404.
   */
  private Future<Void> deleteFile(String path) {
    return head(path).compose(found -> deleteKeys(path, List.of(keys.file(path))))
        .recover(failure -> failure instanceof PathNotFoundException ? Future.succeededFuture()
            : Future.failedFuture(failure));
  }

  private static boolean isMarker(String key) {
    return key.endsWith("/");
  }

  Future<Void> deleteKeys(String path, List<String> keysToDelete) {
    if (keysToDelete.isEmpty()) {
      return Future.succeededFuture();
    }
    if (oneByOne) {
      return deleteOneByOne(path, keysToDelete);
    }
    List<List<String>> batches = new ArrayList<>();
    for (int i = 0; i < keysToDelete.size(); i += LIST_MAX) {
      batches.add(keysToDelete.subList(i, Math.min(keysToDelete.size(), i + LIST_MAX)));
    }
    return Bounded.each(batches, 1, batch -> calls.call(path, () -> client.deleteObjects(b -> b.bucket(config.bucket())
            .delete(d -> d.quiet(true).objects(batch.stream().map(k -> ObjectIdentifier.builder().key(k).build())
                .toList()))))
        .compose(S3StorageDriver::deleted)
        .recover(failure -> {
          if (!(failure instanceof S3Exception s3 && s3.statusCode() == 501)) {
            return Future.failedFuture(failure);
          }
          // The SDK adds a CRC32 checksum header to DeleteObjects (S3 requires a checksum there), which S3-compatible
          // servers older than those checksums refuse with 501: such a server gets one DeleteObject per key instead.
          oneByOne = true;
          return deleteOneByOne(path, batch);
        }));
  }

  private Future<Void> deleteOneByOne(String path, List<String> keysToDelete) {
    return Bounded.each(keysToDelete, ONE_BY_ONE_CONCURRENCY, key -> calls.call(path,
        () -> client.deleteObject(b -> b.bucket(config.bucket()).key(key))));
  }

  private static Future<Void> deleted(DeleteObjectsResponse response) {
    if (response.hasErrors() && !response.errors().isEmpty()) {
      var error = response.errors().get(0);
      return Future.failedFuture(new IllegalStateException("S3 did not delete " + response.errors().size()
          + " object(s), first " + error.key() + ": " + error.code() + " " + error.message()));
    }
    return Future.succeededFuture();
  }

  /** Aborts the multipart uploads of the file key itself and of every key below the prefix. */
  private Future<Void> abortUploads(String path, String listPrefix, String below, String keyMarker,
      String uploadMarker) {
    return calls.call(path, () -> client.listMultipartUploads(b -> b.bucket(config.bucket()).prefix(listPrefix)
            .keyMarker(keyMarker).uploadIdMarker(uploadMarker)))
        .compose(page -> {
          List<MultipartUpload> mine = page.uploads().stream()
              .filter(upload -> upload.key().equals(listPrefix) || upload.key().startsWith(below)).toList();
          return Bounded.each(mine, 1, upload -> calls.call(path, () -> client.abortMultipartUpload(b -> b
                  .bucket(config.bucket()).key(upload.key()).uploadId(upload.uploadId())))
                  .<Void>mapEmpty().recover(failure -> failure instanceof PathNotFoundException
                      ? Future.succeededFuture() : Future.failedFuture(failure)))
              .compose(v -> more(page) ? abortUploads(path, listPrefix, below, page.nextKeyMarker(),
                  page.nextUploadIdMarker()) : Future.succeededFuture());
        });
  }

  /** The multipart uploads in progress below the directory, page by page; a key that is no path is left out. */
  @Override
  public Future<List<UnfinishedWrite>> unfinishedWrites(String path) {
    String prefix;
    try {
      prefix = keys.directory(path);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    List<UnfinishedWrite> writes = new ArrayList<>();
    return unfinishedPage(path, prefix, null, null, writes).map(v -> List.copyOf(writes));
  }

  private Future<Void> unfinishedPage(String path, String prefix, String keyMarker, String uploadMarker,
      List<UnfinishedWrite> into) {
    return calls.call(path, () -> client.listMultipartUploads(b -> b.bucket(config.bucket()).prefix(prefix)
            .keyMarker(keyMarker).uploadIdMarker(uploadMarker)))
        .compose(page -> {
          for (MultipartUpload upload : page.uploads()) {
            String file;
            try {
              file = StoragePaths.check(keys.path(upload.key()));
            } catch (IllegalArgumentException e) {
              continue;
            }
            into.add(new UnfinishedWrite(file, upload.initiated() == null ? 0 : upload.initiated().toEpochMilli()));
          }
          return more(page) ? unfinishedPage(path, prefix, page.nextKeyMarker(), page.nextUploadIdMarker(), into)
              : Future.succeededFuture();
        });
  }

  private static boolean more(ListMultipartUploadsResponse page) {
    return Boolean.TRUE.equals(page.isTruncated()) && page.nextKeyMarker() != null;
  }

  @Override
  public Future<FileWriter> writer(String path, boolean append) {
    String key;
    try {
      key = keys.file(path);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return append ? S3FileWriter.resume(this, path, key) : S3FileWriter.create(this, path, key);
  }

  @Override
  public Future<ReadStream<Buffer>> reader(String path, long offset, long length) {
    if (length == 0) {
      return head(path).map(head -> S3ReadStream.empty(calls.context()));
    }
    var context = calls.context();
    return calls.call(path, () -> client.getObject(b -> b.bucket(config.bucket()).key(keys.file(path))
                .range("bytes=" + offset + "-" + (offset + length - 1)),
            AsyncResponseTransformer.toPublisher()))
        .map(body -> S3ReadStream.of(context, body, length));
  }

  @Override
  public Optional<Path> localPath(String path) {
    return Optional.empty();
  }

  @Override
  public Optional<String> redirectUrl(String path) {
    String key = keys.file(path);
    return Optional.of(lease.presigner().presignGetObject(p -> p.signatureDuration(REDIRECT_EXPIRY)
        .getObjectRequest(g -> g.bucket(config.bucket()).key(key))).url().toString());
  }

  @Override
  public void close() {
    lease.release();
  }

  /** Why the configured bucket cannot be used, naming the key to fix. */
  private static ConfigException bucketFailure(S3Config config, Throwable failure) {
    Throwable cause = SdkCalls.unwrap(failure);
    if (cause instanceof StorageUnavailableException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String where = "bucket \"" + config.bucket() + "\" at " + (config.regionEndpoint() == null
        ? "AWS S3 in " + config.region() : config.regionEndpoint().toString());
    if (cause instanceof S3Exception s3) {
      return switch (s3.statusCode()) {
        case 404 -> new ConfigException("storage.s3.bucket", "no " + where + "; create it, or correct the bucket");
        case 403 -> new ConfigException("storage.s3.accesskey", "access denied to " + where + " (wrong accesskey or "
            + "secretkey, or credentials that may not use the bucket)");
        case 301, 400 -> new ConfigException("storage.s3.region", where + " does not answer in region "
            + config.region() + " (HTTP " + s3.statusCode() + ")");
        default -> new ConfigException("storage.s3.regionendpoint", where + " answered HTTP " + s3.statusCode()
            + " to HeadBucket");
      };
    }
    return new ConfigException("storage.s3.regionendpoint", "cannot reach " + where + ": " + cause.getMessage());
  }
}
