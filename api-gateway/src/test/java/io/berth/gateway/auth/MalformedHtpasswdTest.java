package io.berth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.testing.MalformedHashes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines of the htpasswd file whose hash is no usable bcrypt never let anyone in and never fail a request: the login
 * answers 401 like any wrong password, and the users of the file's good lines still log in.
 */
class MalformedHtpasswdTest {
  @TempDir
  static Path directory;
  private static RunningGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    String[] lines = MalformedHashes.BY_USER.entrySet().stream().map(entry -> entry.getKey() + ":" + entry.getValue())
        .toArray(String[]::new);
    Path users = HtpasswdFiles.write(directory.resolve("htpasswd"), Map.of("alice", "wonderland"), lines);
    gateway = RunningGateway.start(directory, "  htpasswd:\n    path: " + users + "\n");
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @Test
  void malformedHashesNeverMatchAndNeverFailTheRequest() throws Exception {
    for (Map.Entry<String, String> entry : MalformedHashes.BY_USER.entrySet()) {
      for (String password : new String[] {"", "password", entry.getValue()}) {
        HttpResponse<Buffer> response = gateway.send(gateway.request(HttpMethod.GET, "/v2/")
            .putHeader("Authorization", HtpasswdAuthTest.basic(entry.getKey(), password)));

        assertEquals(401, response.statusCode(), entry.getKey() + ": " + response.bodyAsString());
      }
    }
    assertEquals(200, gateway.send(gateway.request(HttpMethod.GET, "/v2/")
        .putHeader("Authorization", HtpasswdAuthTest.basic("alice", "wonderland"))).statusCode());
  }
}
