package io.berth.manifest.store;

import io.berth.common.concurrent.BoundedFanOut;
import io.berth.common.storage.PathNotFoundException;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists repositories as distribution does: a directory under {@code repositories/} is a repository when it has a
 * child whose name starts with an underscore ({@code _manifests}, {@code _layers}, {@code _uploads}); names may nest.
 */
public final class CatalogLister {
  private final StorageDriver driver;

  public CatalogLister(StorageDriver driver) {
    this.driver = driver;
  }

  /** Lists {@link BoundedFanOut#PER_REQUEST} directories at a time, however many repositories there are. */
  public Future<List<String>> repositories() {
    return walk("", new BoundedFanOut(BoundedFanOut.PER_REQUEST)).map(names -> names.stream().sorted().toList());
  }

  private Future<List<String>> walk(String name, BoundedFanOut fanOut) {
    String path = name.isEmpty() ? StorageLayout.REPOSITORIES : StorageLayout.REPOSITORIES + "/" + name;
    return fanOut.submit(() -> driver.list(path))
        .recover(failure -> failure instanceof PathNotFoundException
            ? Future.succeededFuture(List.of()) : Future.failedFuture(failure))
        .compose(children -> {
          boolean repository = !name.isEmpty() && children.stream().anyMatch(child -> child.startsWith("_"));
          List<Future<List<String>>> below = children.stream()
              .filter(child -> !child.startsWith("_") && !child.startsWith("."))
              .map(child -> walk(name.isEmpty() ? child : name + "/" + child, fanOut))
              .toList();
          return Future.all(below).map(all -> {
            List<String> names = new ArrayList<>(repository ? List.of(name) : List.of());
            all.<List<String>>list().stream().flatMap(List::stream).forEach(names::add);
            return names;
          });
        });
  }
}
