package io.berth.blob.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claim that makes a deletion safe against a request racing it: while the file is aside no request finds it,
 * and a file judged in use comes back as it was, or yields to a copy stored meanwhile.
 */
class ClaimTest {
  private static final FileTime OLD = FileTime.from(Instant.parse("2024-01-01T00:00:00Z"));

  @TempDir
  Path directory;

  private Path file;

  @BeforeEach
  void writeFile() throws IOException {
    file = directory.resolve("data");
    Files.writeString(file, "old copy");
    Files.setLastModifiedTime(file, OLD);
  }

  private List<String> entries() throws IOException {
    try (Stream<Path> children = Files.list(directory)) {
      return children.map(child -> child.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aFileStillGarbageIsDeletedAndWasNotFindableWhileJudged() throws IOException {
    boolean deleted = Claim.delete(file, modified -> {
      assertFalse(Files.exists(file), "a request could still find the file");
      assertEquals(OLD, modified);
      return true;
    });

    assertTrue(deleted);
    assertEquals(List.of(), entries());
  }

  @Test
  void aFileJudgedInUseComesBackUnchanged() throws IOException {
    boolean deleted = Claim.delete(file, modified -> false);

    assertFalse(deleted);
    assertEquals("old copy", Files.readString(file));
    assertEquals(OLD, Files.getLastModifiedTime(file));
    assertEquals(List.of("data"), entries());
  }

  @Test
  void aCopyStoredWhileTheFileWasAsideWinsOverThePutBackOne() throws IOException {
    boolean deleted = Claim.delete(file, modified -> {
      Files.writeString(file, "new copy");
      return false;
    });

    assertFalse(deleted);
    assertEquals("new copy", Files.readString(file));
    assertEquals(List.of("data"), entries());
  }

  @Test
  void aMissingFileIsNotDeleted() throws IOException {
    Files.delete(file);

    assertFalse(Claim.delete(file, modified -> true));
  }

  @Test
  void aJudgementThatFailsPutsTheFileBack() {
    assertThrows(NoSuchFileException.class, () -> Claim.delete(file, modified -> {
      throw new NoSuchFileException("link");
    }));

    assertTrue(Files.exists(file));
  }

  @Test
  void anEmptiedDirectoryGoesAndAnotherStays() throws IOException {
    Path emptied = Files.createDirectory(directory.resolve("emptied"));

    Claim.removeIfEmpty(emptied);
    Claim.removeIfEmpty(directory);

    assertFalse(Files.exists(emptied));
    assertTrue(Files.exists(file));
  }
}
