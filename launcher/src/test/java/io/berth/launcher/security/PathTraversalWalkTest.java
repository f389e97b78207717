package io.berth.launcher.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.RawHttp;
import io.berth.launcher.security.TwoTenantRegistry.Blob;
import io.berth.launcher.security.TwoTenantRegistry.Tenant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code /v2/} route, with every spelling of a path traversal put into each of its segments, the {@code v2}
 * one included (so {@code //v2}, {@code /./v2}, {@code /x/../v2}, {@code /%762}), sent byte for byte by bob, who may
 * do everything on {@code bob/app} and nothing on {@code alice/app}, with deletes enabled. Every request must be
 * refused with a 4xx, say nothing about alice's blobs, and leave the storage exactly as it was.
 */
class PathTraversalWalkTest {
  /** Headers only an accepted request carries. */
  private static final List<String> ACCEPTED_ONLY = List.of("Docker-Content-Digest", "Location",
      "Docker-Upload-UUID", "Range", "Content-Range", "ETag");

  /** One spelling of {@code ..} and of the separator each, from plain to double-encoded and overlong UTF-8. */
  private static final List<String[]> CLIMBS = List.of(
      new String[] {"..", "/"}, new String[] {"..", "%2F"}, new String[] {"%2e%2e", "%2f"},
      new String[] {"%2E%2E", "/"}, new String[] {"..", "%5c"}, new String[] {"..", "\\"},
      new String[] {"%c0%ae%c0%ae", "%c0%af"}, new String[] {"%e0%80%ae%e0%80%ae", "/"},
      new String[] {"%252e%252e", "%252f"}, new String[] {"..", "%00/"});

  @TempDir
  Path temp;

  /** A request of bob's on his own repository, as a client would send it, before any segment is spoiled. */
  private record Route(String method, List<String> segments, String query, byte[] body, String contentType) {
    String target(List<String> segments) {
      return "/" + String.join("/", segments) + query;
    }
  }

  @Test
  void everyRouteRefusesEveryTraversalInEverySegmentAndTheStorageStaysAsItWas() throws Exception {
    try (TwoTenantRegistry registry = TwoTenantRegistry.start(temp, true)) {
      Tenant alice = registry.alice();
      Tenant bob = registry.bob();
      Map<String, String> counterparts = counterparts(alice, bob);
      List<Route> routes = routes(bob);
      assertBobsOwnRequestsWork(registry, bob);
      StorageSnapshot before = StorageSnapshot.of(registry.root());

      List<String> failures = new ArrayList<>();
      int sent = 0;
      for (Route route : routes) {
        for (int segment = 0; segment < route.segments().size(); segment++) {
          String original = route.segments().get(segment);
          for (String spoiled : spoilings(original, counterparts.getOrDefault(original, original), alice)) {
            List<String> segments = new ArrayList<>(route.segments());
            segments.set(segment, spoiled);
            String target = route.target(segments);
            RawHttp.Response response = route.body() == null ? registry.send(bob, route.method(), target, null)
                : registry.send(bob, route.method(), target, route.body(), "Content-Type: " + route.contentType());
            sent++;
            check(route.method() + " " + target, target, response, alice).ifPresent(failures::add);
          }
        }
      }

      String summary = failures.size() + " of " + sent + " requests not refused cleanly, e.g.:\n"
          + String.join("\n", failures.subList(0, Math.min(40, failures.size())));
      assertTrue(failures.isEmpty(), summary);
      assertEquals(List.of(), StorageSnapshot.of(registry.root()).changesSince(before));
      assertTrue(sent > 2_000, "the walk sent only " + sent + " requests");
    }
  }

  /** Bob's token and the routes work, so a refusal in the walk is the path's doing, not a broken fixture. */
  private static void assertBobsOwnRequestsWork(TwoTenantRegistry registry, Tenant bob) {
    String repository = "/v2/" + bob.repository();
    assertEquals(200, registry.send(bob, "GET", repository + "/blobs/" + bob.layer().digest(), null).status());
    assertEquals(204, registry.send(bob, "GET", repository + "/blobs/uploads/" + bob.uploadId(), null).status());
    assertEquals(200, registry.send(bob, "GET", repository + "/manifests/" + TwoTenantRegistry.TAG, null,
        "Accept: application/vnd.oci.image.manifest.v1+json").status());
  }

  private static List<Route> routes(Tenant bob) {
    String[] name = bob.repository().split("/");
    String manifest = bob.manifest().digest();
    String layer = bob.layer().digest();
    byte[] chunk = "bytes that must never land".getBytes(StandardCharsets.UTF_8);
    String octets = "application/octet-stream";
    String manifestType = "application/vnd.oci.image.manifest.v1+json";
    List<Route> routes = new ArrayList<>();
    BiFunction<String, String[], List<String>> path = (first, rest) -> {
      List<String> segments = new ArrayList<>(List.of("v2"));
      segments.addAll(List.of(name));
      if (first != null) {
        segments.add(first);
      }
      segments.addAll(List.of(rest));
      return segments;
    };
    routes.add(new Route("GET", List.of("v2", ""), "", null, null));
    routes.add(new Route("HEAD", List.of("v2", ""), "", null, null));
    routes.add(new Route("GET", List.of("v2", "_catalog"), "", null, null));
    routes.add(new Route("GET", path.apply("tags", new String[] {"list"}), "", null, null));
    for (String reference : List.of(TwoTenantRegistry.TAG, manifest)) {
      List<String> segments = path.apply("manifests", new String[] {reference});
      routes.add(new Route("GET", segments, "", null, null));
      routes.add(new Route("HEAD", segments, "", null, null));
      routes.add(new Route("PUT", segments, "", bob.manifest().bytes(), manifestType));
      routes.add(new Route("DELETE", segments, "", null, null));
    }
    List<String> blob = path.apply("blobs", new String[] {layer});
    routes.add(new Route("GET", blob, "", null, null));
    routes.add(new Route("HEAD", blob, "", null, null));
    routes.add(new Route("DELETE", blob, "", null, null));
    List<String> uploads = path.apply("blobs", new String[] {"uploads", ""});
    routes.add(new Route("POST", uploads, "", new byte[0], octets));
    routes.add(new Route("POST", uploads, "?digest=" + Blob.of(chunk).digest(), chunk, octets));
    routes.add(new Route("POST", uploads, "?mount=" + layer + "&from=" + bob.repository(), new byte[0], octets));
    List<String> session = path.apply("blobs", new String[] {"uploads", bob.uploadId()});
    routes.add(new Route("GET", session, "", null, null));
    routes.add(new Route("PATCH", session, "", chunk, octets));
    routes.add(new Route("PUT", session, "?digest=" + Blob.of(chunk).digest(), chunk, octets));
    routes.add(new Route("DELETE", session, "", null, null));
    routes.add(new Route("GET", path.apply("referrers", new String[] {manifest}), "", null, null));
    routes.add(new Route("DELETE", path.apply(null, new String[] {""}), "", null, null));
    return routes;
  }

  /** Each of bob's names and ids mapped to alice's of the same kind: what a climb out of his segment aims at. */
  private static Map<String, String> counterparts(Tenant alice, Tenant bob) {
    Map<String, String> counterparts = new HashMap<>();
    counterparts.put(bob.user(), alice.user());
    counterparts.put(bob.uploadId(), alice.uploadId());
    for (int i = 0; i < bob.blobs().size(); i++) {
      counterparts.put(bob.blobs().get(i).digest(), alice.blobs().get(i).digest());
    }
    return counterparts;
  }

  /**
   * The segment spelled in ways that are no normal form: an empty or dot segment before it, a climb back to it or
   * to alice's counterpart in every spelling of {@link #CLIMBS}, a climb from an upload's directory to alice's blob
   * data, a NUL after it, its first character percent-escaped.
   */
  private static Set<String> spoilings(String segment, String counterpart, Tenant alice) {
    Set<String> spoiled = new LinkedHashSet<>(List.of("/" + segment, "./" + segment, "%2e/" + segment,
        "%2E/" + segment, "x/../" + segment, segment + "%00", segment + "/."));
    if (!segment.isEmpty()) {
      spoiled.add("%" + Integer.toHexString(segment.charAt(0)) + segment.substring(1));
    }
    Blob target = alice.layer();
    for (String[] climb : CLIMBS) {
      String up = climb[0];
      String separator = climb[1];
      spoiled.add("x" + separator + up + separator + counterpart);
      spoiled.add(String.join(separator, up, up, up, up, "blobs", "sha256", target.hex().substring(0, 2),
          target.hex()));
    }
    return spoiled;
  }

  /** Why the answer is not a clean refusal, if it is not. */
  private static Optional<String> check(String request, String target, RawHttp.Response response,
      Tenant alice) {
    if (response.status() < 400 || response.status() >= 500) {
      return Optional.of(request + " -> " + response.status());
    }
    for (String header : ACCEPTED_ONLY) {
      if (response.header(header) != null) {
        return Optional.of(request + " -> " + response.status() + " with " + header + ": "
            + response.header(header));
      }
    }
    String answer = response.headers() + "\n" + response.body();
    for (Blob blob : alice.blobs()) {
      if (answer.contains(blob.hex()) && !target.contains(blob.hex())) {
        return Optional.of(request + " -> names alice's blob " + blob.digest() + ": " + answer);
      }
    }
    // Only sizes no error body can have by chance: her config's and layer's (her manifest is a few hundred bytes).
    for (Blob blob : List.of(alice.config(), alice.layer())) {
      for (int size : new int[] {blob.size(), blob.size() - 1}) {
        if (Pattern.compile("(?<![0-9A-Za-z])" + size + "(?![0-9A-Za-z])").matcher(answer).find()) {
          return Optional.of(request + " -> tells the size of alice's blob " + blob.digest() + ": "
              + answer);
        }
      }
    }
    return Optional.empty();
  }
}
