package io.berth.common.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.config.ConnectionLimits;
import io.berth.common.config.HttpConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The URLs events name, built as distribution builds the Location of the same content. */
class TargetUrlsTest {
  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final RequestInfo CLIENT =
      new RequestInfo("id", "10.0.0.1:40000", "registry.test:5000", "GET", "skopeo", "");

  private static TargetUrls urls(String prefix, String publicUrl, boolean relative) {
    return new TargetUrls(new HttpConfig("0.0.0.0", 5000, prefix, publicUrl, relative, Map.of(), Duration.ZERO,
        ConnectionLimits.defaults()));
  }

  @Test
  void urlIsAbsoluteOnTheHostTheClientUsed() {
    TargetUrls urls = urls("", null, false);

    assertEquals("http://registry.test:5000/v2/team/app/manifests/" + DIGEST,
        urls.manifest(CLIENT, "team/app", DIGEST));
    assertEquals("http://registry.test:5000/v2/team/app/blobs/" + DIGEST, urls.blob(CLIENT, "team/app", DIGEST));
  }

  @Test
  void httpHostWinsOverTheClientsHostAndThePrefixFollowsIt() {
    TargetUrls urls = urls("/mirror", "https://registry.example.com", false);

    assertEquals("https://registry.example.com/mirror/v2/team/app/blobs/" + DIGEST,
        urls.blob(CLIENT, "team/app", DIGEST));
  }

  @Test
  void relativeUrlsGiveAPathUnderThePrefix() {
    TargetUrls urls = urls("/mirror", null, true);

    assertEquals("/mirror/v2/team/app/manifests/" + DIGEST, urls.manifest(CLIENT, "team/app", DIGEST));
  }

  @Test
  void aRequestWithoutHostGivesARelativeUrl() {
    TargetUrls urls = urls("", null, false);

    assertEquals("/v2/team/app/blobs/" + DIGEST, urls.blob(RequestInfo.NONE, "team/app", DIGEST));
  }
}
