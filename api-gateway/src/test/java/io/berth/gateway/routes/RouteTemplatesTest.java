package io.berth.gateway.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every endpoint's paths map to its one template and to distribution's route name (its metrics' {@code handler});
 * nothing of a repository name reaches a label.
 */
class RouteTemplatesTest {
  private static final String DIGEST = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/v2/                                            | /v2/                             | base",
      "/v2                                             | /v2/                             | base",
      "/v2/_catalog                                    | /v2/_catalog                     | catalog",
      "/v2/library/alpine/blobs/uploads/               | /v2/<name>/blobs/uploads/        | blob_upload",
      "/v2/library/alpine/blobs/uploads/0b7c9b5e-1d2f  | /v2/<name>/blobs/uploads/<uuid>  | blob_upload_chunk",
      "/v2/library/alpine/blobs/" + DIGEST + "         | /v2/<name>/blobs/<digest>        | blob",
      "/v2/a/b/c/d/blobs/" + DIGEST + "                | /v2/<name>/blobs/<digest>        | blob",
      "/v2/library/alpine/manifests/3.20               | /v2/<name>/manifests/<reference> | manifest",
      "/v2/library/alpine/manifests/" + DIGEST + "     | /v2/<name>/manifests/<reference> | manifest",
      "/v2/library/alpine/tags/list                    | /v2/<name>/tags/list             | tags",
      "/v2/library/alpine/referrers/" + DIGEST + "     | /v2/<name>/referrers/<digest>    | referrers",
      "/v2/library/alpine                              | other                            |",
      "/favicon.ico                                    | other                            |",
      "/wp-login.php                                   | other                            |"})
  void aPathMapsToItsEndpointTemplateAndDistributionsHandlerName(String path, String template, String handler) {
    RouteTemplates.Endpoint endpoint = new RouteTemplates("").of(path);
    assertEquals(template, endpoint.template());
    assertEquals(handler, endpoint.handler(), "none for a path that is no endpoint of distribution");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/mirror/v2/                                  | /v2/",
      "/mirror/v2/library/alpine/manifests/latest   | /v2/<name>/manifests/<reference>",
      "/v2/library/alpine/manifests/latest          | other"})
  void withAPrefixOnlyPathsUnderItAreEndpoints(String path, String template) {
    assertEquals(template, new RouteTemplates("/mirror").of(path).template());
  }
}
