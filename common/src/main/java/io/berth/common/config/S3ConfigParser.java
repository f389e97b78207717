package io.berth.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.regions.Region;

/**
 * Parses distribution's {@code storage.s3} section with its defaults and bounds (registry/storage/driver/s3-aws):
 * region and bucket required, chunk sizes between S3's 5 MiB part minimum and 5 GiB maximum, the storage classes and
 * canned ACLs distribution accepts. Numbers may be written as text, as distribution reads them.
 */
final class S3ConfigParser {
  private static final String SECTION = "storage." + StorageDrivers.S3;
  private static final long DEFAULT_CHUNK_SIZE = 2 * S3Config.MIN_CHUNK_SIZE;
  private static final long DEFAULT_MULTIPART_COPY_CHUNK_SIZE = 32L << 20;
  private static final long DEFAULT_MULTIPART_COPY_THRESHOLD_SIZE = 32L << 20;
  private static final int DEFAULT_MULTIPART_COPY_MAX_CONCURRENCY = 100;
  private static final String NO_STORAGE_CLASS = "NONE";
  private static final List<String> STORAGE_CLASSES = List.of(NO_STORAGE_CLASS, "STANDARD", "REDUCED_REDUNDANCY",
      "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "OUTPOSTS", "GLACIER_IR", "EXPRESS_ONEZONE");
  private static final List<String> OBJECT_ACLS = List.of("private", "public-read", "public-read-write",
      "authenticated-read", "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control");

  private S3ConfigParser() {
  }

  /** The parameters of the {@code s3} driver the storage section names (an empty section lacks its bucket). */
  static S3Config parse(ConfigReader reader) {
    Object section = reader.peek(SECTION);
    if (section != null && !(section instanceof JsonObject)) {
      throw new ConfigException(SECTION, "expected a section of keys, got \"" + section + "\"");
    }
    String accessKey = text(reader, "accesskey");
    String secretKey = text(reader, "secretkey");
    if ((accessKey == null) != (secretKey == null)) {
      throw new ConfigException(key(accessKey == null ? "accesskey" : "secretkey"), "set both accesskey and "
          + "secretkey, or neither to use the AWS credential chain (environment, profile, instance role)");
    }
    URI endpoint = endpoint(reader);
    String region = region(reader, endpoint);
    String bucket = text(reader, "bucket");
    if (bucket == null) {
      throw new ConfigException(key("bucket"), "no bucket parameter provided");
    }
    if (!reader.bool(key("v4auth"), true)) {
      throw new ConfigException(key("v4auth"), "Berth signs S3 requests with AWS Signature Version 4 only; remove "
          + "v4auth: false (every current S3 implementation accepts Version 4)");
    }
    String root = text(reader, "rootdirectory");
    return new S3Config(accessKey, secretKey, region, endpoint,
        reader.bool(key("forcepathstyle"), endpoint != null), bucket, root == null ? "" : root,
        reader.bool(key("encrypt"), false), text(reader, "keyid"), reader.bool(key("secure"), true),
        reader.bool(key("skipverify"), false),
        size(reader, "chunksize", DEFAULT_CHUNK_SIZE, S3Config.MIN_CHUNK_SIZE, S3Config.MAX_CHUNK_SIZE),
        size(reader, "multipartcopychunksize", DEFAULT_MULTIPART_COPY_CHUNK_SIZE, S3Config.MIN_CHUNK_SIZE,
            S3Config.MAX_CHUNK_SIZE),
        (int) size(reader, "multipartcopymaxconcurrency", DEFAULT_MULTIPART_COPY_MAX_CONCURRENCY, 1,
            Integer.MAX_VALUE),
        size(reader, "multipartcopythresholdsize", DEFAULT_MULTIPART_COPY_THRESHOLD_SIZE, 0, S3Config.MAX_CHUNK_SIZE),
        storageClass(reader), objectAcl(reader), text(reader, "useragent"), callTimeout(reader));
  }

  /** Berth's own key; at least a second, below which ordinary calls to a loaded S3 would time out. */
  private static Duration callTimeout(ConfigReader reader) {
    Object value = reader.value(key("calltimeout"));
    if (value == null) {
      return S3Config.DEFAULT_CALL_TIMEOUT;
    }
    Duration timeout = Durations.parse(key("calltimeout"), value);
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException(key("calltimeout"), "expected at least 1s, got \"" + value + "\"");
    }
    return timeout;
  }

  private static String key(String name) {
    return SECTION + "." + name;
  }

  /** A single value as text; an empty one counts as unset, as distribution treats it. */
  private static String text(ConfigReader reader, String name) {
    String value = reader.string(key(name), null);
    return value == null || value.isEmpty() ? null : value;
  }

  /**
   * An endpoint without a scheme takes it from {@code secure}, as the Go SDK distribution uses does; one with a
   * scheme keeps it.
   */
  private static URI endpoint(ConfigReader reader) {
    String value = text(reader, "regionendpoint");
    if (value == null) {
      return null;
    }
    String withScheme = value.contains("://") ? value
        : (reader.bool(key("secure"), true) ? "https://" : "http://") + value;
    try {
      URI uri = new URI(withScheme);
      if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new ConfigException(key("regionendpoint"), "expected an http(s) URL or a host, got \"" + value + "\"");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(key("regionendpoint"), "not a URL: \"" + value + "\"");
    }
  }

  /** Any region goes with a custom endpoint; on AWS itself it must be one the SDK knows, as in distribution. */
  private static String region(ConfigReader reader, URI endpoint) {
    String region = text(reader, "region");
    if (region == null) {
      throw new ConfigException(key("region"), "no region parameter provided");
    }
    if (endpoint == null && !Region.regions().contains(Region.of(region))) {
      throw new ConfigException(key("region"), "invalid region provided: " + region);
    }
    return region;
  }

  private static long size(ConfigReader reader, String name, long fallback, long min, long max) {
    Object value = WrittenScalar.typed(reader.value(key(name)));
    if (value == null) {
      return fallback;
    }
    if (value instanceof JsonObject || value instanceof JsonArray) {
      throw new ConfigException(key(name), "expected a number, got " + value);
    }
    long number;
    try {
      number = Long.decode(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key(name), name + " parameter must be an integer, " + value + " invalid");
    }
    if (number < min || number > max) {
      throw new ConfigException(key(name), "the " + name + " " + number + " parameter should be a number between "
          + min + " and " + max + " (inclusive)");
    }
    return number;
  }

  private static String storageClass(ConfigReader reader) {
    String value = text(reader, "storageclass");
    if (value == null) {
      return "STANDARD";
    }
    String upper = value.toUpperCase(Locale.ROOT);
    if (!STORAGE_CLASSES.contains(upper)) {
      throw new ConfigException(key("storageclass"), "the storageclass parameter must be one of " + STORAGE_CLASSES
          + ", " + value + " invalid");
    }
    return upper.equals(NO_STORAGE_CLASS) ? null : upper;
  }

  private static String objectAcl(ConfigReader reader) {
    String value = text(reader, "objectacl");
    if (value == null) {
      return "private";
    }
    if (!OBJECT_ACLS.contains(value)) {
      throw new ConfigException(key("objectacl"), "invalid value for objectacl parameter: " + value + " (one of "
          + String.join(", ", OBJECT_ACLS) + ")");
    }
    return value;
  }
}
