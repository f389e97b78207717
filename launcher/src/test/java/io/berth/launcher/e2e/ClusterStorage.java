package io.berth.launcher.e2e;

import io.berth.common.testing.S3TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;

/**
 * What the members of a {@link BerthCluster} share to store images: one directory all of them are given (a shared
 * file system), or one bucket of the tests' S3 server, reached over HTTP by each member itself, with no directory in
 * common.
 */
interface ClusterStorage extends AutoCloseable {
  String BLOBS = "docker/registry/v2/blobs/sha256/";

  /** The {@code REGISTRY_STORAGE_*} settings every member gets. */
  Map<String, String> environment();

  /** Every blob's stored bytes by the path it is stored under (…/sha256/ab/abcd…/data). */
  Map<String, byte[]> blobs() throws IOException;

  /** Stops what the storage started for the test. */
  @Override
  default void close() throws Exception {
  }

  /** The directory every member mounts at the same path. */
  record SharedDirectory(Path root) implements ClusterStorage {
    @Override
    public Map<String, String> environment() {
      return Map.of("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString());
    }

    @Override
    public Map<String, byte[]> blobs() throws IOException {
      Map<String, byte[]> blobs = new LinkedHashMap<>();
      Path directory = root.resolve(BLOBS);
      if (!Files.isDirectory(directory)) {
        return blobs;
      }
      List<Path> data;
      try (Stream<Path> files = Files.walk(directory)) {
        data = files.filter(file -> file.getFileName().toString().equals("data")).toList();
      }
      for (Path file : data) {
        blobs.put(root.relativize(file).toString(), Files.readAllBytes(file));
      }
      return blobs;
    }
  }

  /**
   * A bucket of an S3 server of its own (S3Proxy in the test's JVM, on 127.0.0.1), with distribution's keys and no
   * rootdirectory.
   */
  record S3Bucket(S3TestServer server, String bucket) implements ClusterStorage {
    static S3Bucket start() {
      S3TestServer server = S3TestServer.start();
      return new S3Bucket(server, server.newBucket());
    }
    @Override
    public Map<String, String> environment() {
      return Map.of(
          "REGISTRY_STORAGE_S3_ACCESSKEY", S3TestServer.ACCESS_KEY,
          "REGISTRY_STORAGE_S3_SECRETKEY", S3TestServer.SECRET_KEY,
          "REGISTRY_STORAGE_S3_REGION", S3TestServer.REGION,
          "REGISTRY_STORAGE_S3_REGIONENDPOINT", server.endpoint().toString(),
          "REGISTRY_STORAGE_S3_BUCKET", bucket,
          // The smallest part S3 takes: the tests' layers span several parts without the heap holding 10 MiB each.
          "REGISTRY_STORAGE_S3_CHUNKSIZE", Long.toString(5 * 1024 * 1024));
    }

    @Override
    public Map<String, byte[]> blobs() throws IOException {
      Map<String, byte[]> blobs = new LinkedHashMap<>();
      ListContainerOptions options = ListContainerOptions.Builder.prefix(BLOBS).recursive();
      while (true) {
        PageSet<? extends StorageMetadata> page = server.store().list(bucket, options);
        for (StorageMetadata object : page) {
          if (object.getName().endsWith("/data")) {
            blobs.put(object.getName(), server.object(bucket, object.getName()));
          }
        }
        if (page.getNextMarker() == null) {
          return blobs;
        }
        options = ListContainerOptions.Builder.prefix(BLOBS).recursive().afterMarker(page.getNextMarker());
      }
    }

    @Override
    public void close() throws Exception {
      server.close();
    }
  }
}
