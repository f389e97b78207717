package io.berth.gateway.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mindrot.jbcrypt.BCrypt;

/** htpasswd files as {@code htpasswd -B} writes them: {@code $2y$} bcrypt of cost 5, one {@code user:hash} a line. */
final class HtpasswdFiles {
  static final int HTPASSWD_COST = 5;

  private HtpasswdFiles() {
  }

  static String entry(String user, String password) {
    return user + ":" + BCrypt.hashpw(password, BCrypt.gensalt(HTPASSWD_COST)).replaceFirst("^\\$2a\\$", "\\$2y\\$");
  }

  /** The users of {@code passwords}, then {@code extraLines} verbatim. */
  static Path write(Path file, Map<String, String> passwords, String... extraLines) throws IOException {
    List<String> lines = new ArrayList<>();
    passwords.forEach((user, password) -> lines.add(entry(user, password)));
    lines.addAll(List.of(extraLines));
    return Files.write(file, lines);
  }
}
