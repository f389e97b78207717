package io.berth.blob.upload;

import io.berth.common.error.RegistryException;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.UploadId;
import io.berth.common.storage.PathNotFoundException;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * distribution's upload purging (registry/storage/purgeuploads.go): walks every repository's {@code _uploads} and
 * deletes the upload directories started before a cutoff, by their {@code startedat} file or, when that is missing or
 * unreadable, by the directory's last change. An upload a request is writing to is kept (this process's requests claim it here, every process's take its
 * cluster-wide writer lock, which the purge tries before it deletes), and so is
 * one whose data or saved hash state changed after the cutoff (another process sharing the storage may be writing it:
 * on S3 the data is no object before it is committed, and the hash state saved after each request tells instead); a
 * dry run deletes nothing and only logs what it would delete.
 *
 * <p>Then the unfinished writes below the repositories that the walk could not see ({@link
 * StorageDriver#unfinishedWrites}: S3 multipart uploads, which S3 bills until aborted) are looked at: one in an upload
 * session the walk found follows that session's fate (a deleted session's were aborted with it); one whose session is
 * gone is aborted, by deleting the session's directory, when it was started before the cutoff.
 */
public final class UploadPurger {
  private static final Logger LOG = LoggerFactory.getLogger(UploadPurger.class);
  private static final String UPLOADS = "_uploads";

  private final Vertx vertx;
  private final StorageDriver driver;
  private final UploadSessions sessions;

  /** {@code vertx}: whose cluster-wide locks tell the sessions another process is writing. */
  public UploadPurger(Vertx vertx, StorageDriver driver, UploadSessions sessions) {
    this.vertx = vertx;
    this.driver = driver;
    this.sessions = sessions;
  }

  public Future<PurgeReport> purge(Instant cutoff, boolean dryRun) {
    LOG.debug("upload purge starting [cutoff: {}, dry run: {}]", cutoff, dryRun);
    Run run = new Run(cutoff, dryRun);
    return run.repositories(StorageLayout.REPOSITORIES, "").compose(v -> run.unfinishedWrites()).map(v -> {
      PurgeReport report = new PurgeReport(List.copyOf(run.purged), List.copyOf(run.kept),
          List.copyOf(run.abandoned), run.failures);
      LOG.info("upload purge finished [purged: {}, kept while written: {}, abandoned writes aborted: {}, failures: {}, "
          + "dry run: {}, cutoff: {}]", report.purged().size(), report.keptWhileWritten().size(),
          report.abandonedWrites().size(), report.failures(), dryRun, cutoff);
      return report;
    });
  }

  /** One walk over the repositories; its lists are only touched from the verticle's event loop. */
  private final class Run {
    private final Instant cutoff;
    private final boolean dryRun;
    private final List<PurgeReport.PurgedUpload> purged = new ArrayList<>();
    private final List<PurgeReport.PurgedUpload> kept = new ArrayList<>();
    private final List<PurgeReport.PurgedUpload> abandoned = new ArrayList<>();
    /** The sessions the walk found (repository and upload id), whatever it decided for them. */
    private final Set<String> walked = new HashSet<>();
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
      walked.add(StorageLayout.upload(repository, uuid));
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
      return sessions.purge(vertx, driver, repository, uuid).map(deleted -> {
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
     * Whether the session's data or its last saved hash state changed after the cutoff: another process may be writing
     * it, and only a request of this process would otherwise keep it. An upload without either has nothing being
     * written.
     */
    private Future<Boolean> writtenSinceCutoff(RepositoryName repository, UploadId uuid) {
      return changedSinceCutoff(StorageLayout.uploadData(repository, uuid))
          .compose(data -> data ? Future.succeededFuture(true) : lastHashState(repository, uuid)
              .compose(state -> state == null ? Future.succeededFuture(false) : changedSinceCutoff(state)));
    }

    /** S3 stamps an object to the second: a change in the cutoff's own second counts as after it. */
    private Future<Boolean> changedSinceCutoff(String path) {
      return driver.stat(path)
          .map(stat -> !Instant.ofEpochMilli(stat.modifiedMillis()).isBefore(cutoff))
          .recover(failure -> failure instanceof PathNotFoundException ? Future.succeededFuture(false)
              : Future.failedFuture(failure));
    }

    /** The hash state saved at the largest offset, the one the session's last request saved; null when none is. */
    private Future<String> lastHashState(RepositoryName repository, UploadId uuid) {
      String directory = StorageLayout.uploadHashStates(repository, uuid);
      return children(directory).map(offsets -> offsets.stream()
          .filter(offset -> offset.chars().allMatch(Character::isDigit) && offset.length() < 19)
          .max(Comparator.comparingLong(Long::parseLong))
          .map(offset -> directory + "/" + offset)
          .orElse(null));
    }

    /** The unfinished writes in sessions the walk did not find: aborted when started before the cutoff. */
    Future<Void> unfinishedWrites() {
      return driver.unfinishedWrites(StorageLayout.REPOSITORIES)
          .recover(failure -> failure instanceof PathNotFoundException ? Future.succeededFuture(List.of())
              : Future.failedFuture(failure))
          .compose(writes -> {
            Map<String, UnfinishedSession> orphans = new LinkedHashMap<>();
            for (StorageDriver.UnfinishedWrite write : writes) {
              UnfinishedSession session = UnfinishedSession.of(write);
              if (session == null) {
                continue;
              }
              String path = StorageLayout.upload(session.repository(), session.uuid());
              if (!walked.contains(path)) {
                orphans.merge(path, session, (one, other) -> one.startedMillis() <= other.startedMillis() ? one
                    : other);
              }
            }
            return sequentially(List.copyOf(orphans.values()), this::abandoned);
          })
          .recover(failure -> {
            failures++;
            LOG.warn("upload purge could not look at the unfinished writes: {}", failure.toString());
            return Future.succeededFuture();
          });
    }

    private Future<Void> abandoned(UnfinishedSession session) {
      Instant started = Instant.ofEpochMilli(session.startedMillis());
      if (!started.isBefore(cutoff)) {
        return Future.succeededFuture();
      }
      PurgeReport.PurgedUpload upload = new PurgeReport.PurgedUpload(session.repository().value(), session.uuid(),
          started);
      if (dryRun) {
        LOG.info("upload purge dry run, would abort the unfinished writes of a gone session [repo: {}, uuid: {}, "
            + "started: {}]", upload.repository(), upload.uuid(), started);
        abandoned.add(upload);
        return Future.succeededFuture();
      }
      return sessions.purge(vertx, driver, session.repository(), session.uuid()).<Void>map(deleted -> {
        if (deleted) {
          LOG.info("upload purge aborted the unfinished writes of a gone session [repo: {}, uuid: {}, started: {}]",
              upload.repository(), upload.uuid(), started);
          abandoned.add(upload);
        } else {
          LOG.info("upload kept: a request is writing to it [repo: {}, uuid: {}, started: {}]", upload.repository(),
              upload.uuid(), started);
          kept.add(upload);
        }
        return null;
      }).recover(failure -> {
        failures++;
        LOG.warn("upload purge could not abort the unfinished writes of a gone session [repo: {}, uuid: {}]: {}",
            upload.repository(), upload.uuid(), failure.toString());
        return Future.succeededFuture();
      });
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

  /**
   * The upload session an unfinished write lies in ({@code <repositories>/<name>/_uploads/<uuid>/…}), or null for a
   * write anywhere else or with a name that is no repository or upload id, which is never made part of a path.
   */
  private record UnfinishedSession(RepositoryName repository, UploadId uuid, long startedMillis) {
    static UnfinishedSession of(StorageDriver.UnfinishedWrite write) {
      String prefix = StorageLayout.REPOSITORIES + "/";
      String marker = "/" + UPLOADS + "/";
      int uploads = write.path().indexOf(marker);
      if (!write.path().startsWith(prefix) || uploads <= prefix.length()) {
        return null;
      }
      String rest = write.path().substring(uploads + marker.length());
      int slash = rest.indexOf('/');
      try {
        return new UnfinishedSession(RepositoryName.parse(write.path().substring(prefix.length(), uploads)),
            UploadId.parse(slash < 0 ? rest : rest.substring(0, slash)), write.startedMillis());
      } catch (RuntimeException e) {
        LOG.warn("upload purge skips an unfinished write outside any upload session [path: {}]", write.path());
        return null;
      }
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
