package io.berth.launcher.conformance;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The manifest kinds a registry must store and serve: each pushes what its manifest references (blobs, child
 * manifests, a subject) and answers the manifest itself, not yet pushed.
 */
enum ManifestKind {
  OCI_IMAGE(ManifestKind::ociImage),
  OCI_INDEX((client, repository) -> Manifest.ociIndex()
      .manifest(pushedByDigest(client, repository, ociImage(client, repository))).build()),
  DOCKER_IMAGE(ManifestKind::dockerImage),
  DOCKER_LIST((client, repository) -> Manifest.dockerList()
      .manifest(pushedByDigest(client, repository, dockerImage(client, repository))).build()),
  ARTIFACT((client, repository) -> {
    Manifest subject = pushedByDigest(client, repository, ociImage(client, repository));
    Blob payload = Blob.random(256);
    client.pushBlobs(repository, Blob.EMPTY_JSON, payload);
    return Manifest.artifact("application/vnd.example.sbom.v1").layer(payload).subject(subject)
        .annotation("org.example.kind", "sbom").build();
  });

  private final BiFunction<OciClient, String, Manifest> preparation;

  ManifestKind(BiFunction<OciClient, String, Manifest> preparation) {
    this.preparation = preparation;
  }

  Manifest prepare(OciClient client, String repository) {
    return preparation.apply(client, repository);
  }

  static Manifest ociImage(OciClient client, String repository) {
    return image(client, repository, Manifest::ociImage);
  }

  private static Manifest dockerImage(OciClient client, String repository) {
    return image(client, repository, Manifest::dockerImage);
  }

  /** An image of a fresh config and one layer, both pushed. */
  private static Manifest image(OciClient client, String repository, Function<Blob, Manifest.Builder> kind) {
    Blob config = Blob.of("{\"architecture\":\"amd64\",\"os\":\"linux\",\"nonce\":\"" + System.nanoTime() + "\"}");
    Blob layer = Blob.random(1024);
    client.pushBlobs(repository, config, layer);
    return kind.apply(config).layer(layer).build();
  }

  static Manifest pushedByDigest(OciClient client, String repository, Manifest manifest) {
    client.pushManifest(repository, manifest.digest(), manifest);
    return manifest;
  }
}
