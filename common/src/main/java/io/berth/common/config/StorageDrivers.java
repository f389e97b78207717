package io.berth.common.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Which storage driver the {@code storage} section names: {@code filesystem} or {@code s3}. As in distribution ({@code configuration.Storage.Type}),
 * every key of the section is a driver except its parameter sections, and exactly one driver may be named; a name
 * no driver answers to stops startup, where distribution would panic with "StorageDriver not registered". With no
 * driver at all Berth stores under its default root, so that {@code ./registry serve} runs without a file.
 */
final class StorageDrivers {
  static final String FILESYSTEM = "filesystem";
  static final String S3 = "s3";
  /** distribution's parameter sections, and Berth's {@code gc}: none of them names a driver. */
  private static final Set<String> PARAMETER_SECTIONS = Set.of("maintenance", "cache", "delete", "redirect", "tag",
      "gc");
  /** Drivers distribution ships and Berth does not (yet). */
  private static final List<String> NOT_SUPPORTED = List.of("azure", "gcs", "inmemory", "oss", "swift");

  private StorageDrivers() {
  }

  /**
   * The driver the section names ({@code filesystem} when it names none), counted as read; a wrong or second driver
   * names its key.
   */
  static String check(ConfigReader reader) {
    if (!(reader.peek("storage") instanceof JsonObject storage)) {
      return FILESYSTEM;
    }
    List<String> drivers = storage.fieldNames().stream().filter(name -> !PARAMETER_SECTIONS.contains(name)).toList();
    if (drivers.size() > 1) {
      throw new ConfigException("storage", "multiple storage drivers specified in configuration or environment: "
          + String.join(", ", drivers) + "; keep exactly one (a REGISTRY_STORAGE_<DRIVER>_* variable adds a driver "
          + "to the file's)");
    }
    if (drivers.isEmpty()) {
      return FILESYSTEM;
    }
    String driver = drivers.get(0);
    String key = "storage." + driver;
    if (NOT_SUPPORTED.contains(driver)) {
      throw new ConfigException(key, "storage driver " + driver + " is not supported by Berth yet; use "
          + "storage.filesystem (one shared file system for every process) or storage.s3, whose regionendpoint also "
          + "reaches S3-compatible services (GCS and OSS in their S3 interoperability modes, MinIO, Ceph)");
    }
    if (!driver.equals(FILESYSTEM) && !driver.equals(S3)) {
      throw new ConfigException(key, "unknown storage driver \"" + driver + "\" (distribution: StorageDriver not "
          + "registered: " + driver + "); Berth's drivers are filesystem and s3, and distribution's "
          + String.join(", ", NOT_SUPPORTED) + " are not supported yet");
    }
    // A driver without parameters ("filesystem:") is named, not ignored: its root is the default.
    reader.value(key);
    return driver;
  }
}
