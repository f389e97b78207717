package io.berth.launcher;

import io.berth.blob.gc.GarbageCollector;
import io.berth.blob.gc.GcException;
import io.berth.blob.gc.GcListener;
import io.berth.blob.gc.GcOptions;
import io.berth.blob.gc.ManifestReader;
import io.berth.common.boot.LoggingSetup;
import io.berth.common.bus.message.GcResult;
import io.berth.common.config.ConfigException;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.LogConfig;
import io.berth.common.config.RegistryConfig;
import io.berth.common.config.StorageConfig;
import io.berth.common.oci.Digest;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageDriverFactory;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code registry garbage-collect [--dry-run] [--delete-untagged] [config.yml]}: distribution's offline collector,
 * its flags and its report lines ("blob eligible for deletion: sha256:…"), so that the two can be compared. Like
 * distribution's, it spares nothing for being recent: run it while the registry is stopped (or use storage.gc).
 */
public final class GarbageCollectCommand {
  static final String USAGE = "usage: registry garbage-collect [-d|--dry-run] [-m|--delete-untagged] [config.yml]";
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollectCommand.class);

  private GarbageCollectCommand() {
  }

  /** The command as {@code main} runs it: the report goes to stdout, progress to a terminal when there is one. */
  public static int run(String[] args) {
    // The report is the command's output, as distribution prints it; it is not logging.
    return run(args, System.getenv(), System.out, System.console() == null ? null : System.err, LoggingSetup::apply);
  }

  /**
   * Returns the exit status: 0 done, 1 failed (nothing or only part deleted), 2 bad arguments. {@code logging}
   * applies {@code log} from the configuration.
   */
  public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream terminal,
      Consumer<LogConfig> logging) {
    boolean dryRun = false;
    boolean deleteUntagged = false;
    String configFile = null;
    for (String arg : args) {
      switch (arg) {
        case "-d", "--dry-run" -> dryRun = true;
        case "-m", "--delete-untagged" -> deleteUntagged = true;
        default -> {
          if (arg.startsWith("-") || configFile != null) {
            LOG.error(USAGE);
            return 2;
          }
          configFile = arg;
        }
      }
    }
    RegistryConfig config;
    Vertx vertx = Vertx.vertx();
    try {
      config = ConfigLoader.load(vertx, configFile, environment).await(30, TimeUnit.SECONDS);
    } catch (ConfigException e) {
      LOG.error("configuration error: {}", e.getMessage());
      return 1;
    } catch (Exception e) {
      LOG.error("cannot read the configuration", e);
      return 1;
    } finally {
      vertx.close();
    }
    logging.accept(config.log());
    return collect(config.storage(), GcOptions.offline(dryRun, deleteUntagged), out, new GcProgress(terminal));
  }

  /**
   * Through the configured driver, as the registry would store: a file system or S3. The collector waits on this
   * thread; the driver's calls run on an event loop of a Vert.x of the command's own.
   */
  private static int collect(StorageConfig storage, GcOptions options, PrintStream out, GcProgress progress) {
    Vertx vertx = Vertx.vertx();
    StorageDriver driver = null;
    try {
      StorageDriverFactory.check(vertx, storage).await(30, TimeUnit.SECONDS);
      driver = StorageDriverFactory.open(vertx, storage);
      return collect(driver, vertx.getOrCreateContext(), options, out, progress);
    } catch (ConfigException e) {
      LOG.error("configuration error: {}", e.getMessage());
      return 1;
    } catch (Exception e) {
      LOG.error("cannot reach the storage", e);
      return 1;
    } finally {
      if (driver != null) {
        driver.close();
      }
      vertx.close();
    }
  }

  private static int collect(StorageDriver driver, Context context, GcOptions options, PrintStream out,
      GcProgress progress) {
    GcListener report = new GcListener() {
      @Override
      public void marked(String repository, int repositories, int manifests) {
        progress.update("marking: " + repositories + " repositories, " + manifests + " manifests");
      }

      @Override
      public void manifestEligible(String repository, Digest digest) {
        print(repository + ": manifest eligible for deletion: " + digest);
      }

      @Override
      public void blobEligible(Digest digest, long size) {
        print("blob eligible for deletion: " + digest);
      }

      @Override
      public void layerLinkEligible(String repository, Digest digest) {
        print(repository + ": layer link eligible for deletion: " + digest);
      }

      @Override
      public void swept(int done, int total) {
        progress.update("sweeping: " + done + " of " + total + " unmarked blobs");
      }

      private void print(String line) {
        progress.clear();
        out.println(line);
      }
    };
    try {
      GcResult result = new GarbageCollector(driver, context, options, new ManifestReader(), report, () -> false)
          .run();
      progress.clear();
      summarize(result, out);
      return 0;
    } catch (GcException e) {
      progress.clear();
      LOG.error("garbage collection stopped, nothing deleted: {}", e.getMessage());
      return 1;
    } catch (IOException | RuntimeException e) {
      progress.clear();
      LOG.error("garbage collection failed", e);
      return 1;
    }
  }

  private static void summarize(GcResult result, PrintStream out) {
    out.printf("%n%d blobs marked, %d blobs and %d manifests eligible for deletion%n", result.marked(),
        result.blobsEligible(), result.manifestsEligible());
    if (result.dryRun()) {
      out.printf("dry run: would free %s (%d blobs) and delete %d manifests and %d layer links%n",
          bytes(result.bytesEligible()), result.blobsEligible(), result.manifestsEligible(),
          result.layerLinksEligible());
    } else {
      out.printf("freed %s: deleted %d blobs, %d manifests and %d layer links%n", bytes(result.bytesFreed()),
          result.blobsDeleted(), result.manifestsDeleted().size(), result.layerLinksDeleted());
    }
    out.printf("%d repositories and %d manifests in %.1f s%n", result.repositories(), result.manifests(),
        result.durationMillis() / 1000.0);
  }

  static String bytes(long count) {
    if (count < 1024) {
      return count + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = count;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
