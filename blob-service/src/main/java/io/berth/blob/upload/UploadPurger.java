package io.berth.blob.upload;

import io.berth.common.error.RegistryException;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.UploadId;
import io.berth.common.storage.PathNotFoundException;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * distribution's upload purging (registry/storage/purgeuploads.go): walks every repository's {@code _uploads} and
 * deletes the upload directories started before a cutoff, by their {@code startedat} file or, when that is missing or
 * unreadable, by the directory's last change. An upload a request of this process is writing to is kept, and so is
 * one whose data changed after the cutoff (another process sharing the storage may be writing it); a dry run deletes
 * nothing and only logs what it would delete.
 */
public final class UploadPurger {
  private static final Logger LOG = LoggerFactory.getLogger(UploadPurger.class);
  private static final String UPLOADS = "_uploads";

  private final StorageDriver driver;
  private final UploadSessions sessions;

  public UploadPurger(StorageDriver driver, UploadSessions sessions) {
    this.driver = driver;
    this.sessions = sessions;
  }

  public Future<PurgeReport> purge(Instant cutoff, boolean dryRun) {
    LOG.debug("upload purge starting [cutoff: {}, dry run: {}]", cutoff, dryRun);
    Run run = new Run(cutoff, dryRun);
    return run.repositories(StorageLayout.REPOSITORIES, "").map(v -> {
      PurgeReport report = new PurgeReport(List.copyOf(run.purged), List.copyOf(run.kept), run.failures);
      LOG.info("upload purge finished [purged: {}, kept while written: {}, failures: {}, dry run: {}, cutoff: {}]",
          report.purged().size(), report.keptWhileWritten().size(), report.failures(), dryRun, cutoff);
      return report;
    });
  }

  /** One walk over the repositories; its lists are only touched from the verticle's event loop. */
  private final class Run {
    private final Instant cutoff;
    private final boolean dryRun;
    private final List<PurgeReport.PurgedUpload> purged = new ArrayList<>();
    private final List<PurgeReport.PurgedUpload> kept = new ArrayList<>();
    private int failures;

    Run(Instant cutoff, boolean dryRun) {
      this.cutoff = cutoff;
      this.dryRun = dryRun;
    }

    /** A repository name may hold slashes: every directory not starting with "_" is one more name component. */
    Future<Void> repositories(String path, String name) {
      return children(path).compose(children -> sequentially(children, child -> {
        if (child.equals(UPLOADS)) {
          return uploads(path + "/" + UPLOADS, name);
        }
        if (child.startsWith("_")) {
          return Future.succeededFuture();
        }
        return repositories(path + "/" + child, name.isEmpty() ? child : name + "/" + child);
      }));
    }

    private Future<Void> uploads(String path, String name) {
      RepositoryName repository;
      try {
        repository = RepositoryName.parse(name);
      } catch (RuntimeException e) {
        LOG.warn("upload purge skips a directory that is no repository [path: {}]", path);
        return Future.succeededFuture();
      }
      return children(path).compose(entries -> sequentially(entries, entry -> consider(repository, path, entry)));
    }

    /**
     * Only an upload id names a session; any other entry is left alone, since it is no session this registry or
     * distribution made and its name must not become part of a storage path.
     */
    private Future<Void> consider(RepositoryName repository, String path, String entry) {
      UploadId uuid;
      try {
        uuid = UploadId.parse(entry);
      } catch (RegistryException e) {
        LOG.warn("upload purge skips an entry that is no upload id [path: {}/{}]", path, entry);
        return Future.succeededFuture();
      }
      return consider(repository, uuid);
    }

    private Future<Void> consider(RepositoryName repository, UploadId uuid) {
      return startedAt(repository, uuid).compose(started -> !started.isBefore(cutoff) ? Future.succeededFuture()
          : writtenSinceCutoff(repository, uuid).compose(written -> decide(repository, uuid, started, written)))
          .<Void>mapEmpty().recover(failure -> {
            failures++;
            LOG.warn("upload purge could not handle an upload [repo: {}, uuid: {}]: {}", repository, uuid,
                failure.toString());
            return Future.succeededFuture();
          });
    }

    private Future<Void> decide(RepositoryName repository, UploadId uuid, Instant started, boolean written) {
      PurgeReport.PurgedUpload upload = new PurgeReport.PurgedUpload(repository.value(), uuid, started);
      if (written) {
        LOG.info("upload kept: its data changed within the purge age [repo: {}, uuid: {}, started: {}]",
            upload.repository(), uuid, started);
        kept.add(upload);
        return Future.succeededFuture();
      }
      if (dryRun) {
        LOG.info("upload purge dry run, would delete [repo: {}, uuid: {}, started: {}]", upload.repository(), uuid,
            started);
        purged.add(upload);
        return Future.succeededFuture();
      }
      return sessions.purge(driver, repository, uuid).map(deleted -> {
        if (deleted) {
          LOG.info("upload purged [repo: {}, uuid: {}, started: {}]", upload.repository(), uuid, started);
          purged.add(upload);
        } else {
          LOG.info("upload kept: a request is writing to it [repo: {}, uuid: {}, started: {}]", upload.repository(),
              uuid, started);
          kept.add(upload);
        }
        return null;
      });
    }

    /**
     * Whether the session's data changed after the cutoff: another process may be writing it, and only a request of
     * this process would otherwise keep it. An upload without data has nothing being written.
     */
    private Future<Boolean> writtenSinceCutoff(RepositoryName repository, UploadId uuid) {
      return driver.stat(StorageLayout.uploadData(repository, uuid))
          .map(stat -> Instant.ofEpochMilli(stat.modifiedMillis()).isAfter(cutoff))
          .recover(failure -> failure instanceof PathNotFoundException ? Future.succeededFuture(false)
              : Future.failedFuture(failure));
    }

    private Future<Instant> startedAt(RepositoryName repository, UploadId uuid) {
      return driver.read(StorageLayout.uploadStartedAt(repository, uuid))
          .map(content -> OffsetDateTime.parse(content.toString().trim()).toInstant())
          .recover(unknown -> driver.stat(StorageLayout.upload(repository, uuid))
              .map(stat -> Instant.ofEpochMilli(stat.modifiedMillis())));
    }

    /** A directory that vanished meanwhile (a repository or upload deleted) has nothing left to purge. */
    private Future<List<String>> children(String path) {
      return driver.list(path).recover(failure -> failure instanceof PathNotFoundException
          ? Future.succeededFuture(List.of()) : Future.failedFuture(failure));
    }
  }

  private static <T> Future<Void> sequentially(List<T> items, Function<T, Future<Void>> action) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(v -> action.apply(item));
    }
    return chain;
  }
}
