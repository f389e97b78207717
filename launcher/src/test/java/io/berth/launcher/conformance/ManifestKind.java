package io.berth.launcher.conformance;

/**
 * The manifest kinds a registry must store and serve: each pushes what its manifest references (blobs, child
 * manifests, a subject) and answers the manifest itself, not yet pushed.
 */
enum ManifestKind {
  OCI_IMAGE {
    @Override
    Manifest prepare(OciClient client, String repository) {
      return ociImage(client, repository);
    }
  },
  OCI_INDEX {
    @Override
    Manifest prepare(OciClient client, String repository) {
      return Manifest.ociIndex().manifest(pushedByDigest(client, repository, ociImage(client, repository))).build();
    }
  },
  DOCKER_IMAGE {
    @Override
    Manifest prepare(OciClient client, String repository) {
      return dockerImage(client, repository);
    }
  },
  DOCKER_LIST {
    @Override
    Manifest prepare(OciClient client, String repository) {
      return Manifest.dockerList().manifest(pushedByDigest(client, repository, dockerImage(client, repository)))
          .build();
    }
  },
  ARTIFACT {
    @Override
    Manifest prepare(OciClient client, String repository) {
      Manifest subject = pushedByDigest(client, repository, ociImage(client, repository));
      Blob payload = Blob.random(256);
      client.pushBlobs(repository, Blob.EMPTY_JSON, payload);
      return Manifest.artifact("application/vnd.example.sbom.v1").layer(payload).subject(subject)
          .annotation("org.example.kind", "sbom").build();
    }
  };

  abstract Manifest prepare(OciClient client, String repository);

  static Manifest ociImage(OciClient client, String repository) {
    Blob config = Blob.of("{\"architecture\":\"amd64\",\"os\":\"linux\",\"nonce\":\"" + System.nanoTime() + "\"}");
    Blob layer = Blob.random(1024);
    client.pushBlobs(repository, config, layer);
    return Manifest.ociImage(config).layer(layer).build();
  }

  private static Manifest dockerImage(OciClient client, String repository) {
    Blob config = Blob.of("{\"architecture\":\"arm64\",\"os\":\"linux\",\"nonce\":\"" + System.nanoTime() + "\"}");
    Blob layer = Blob.random(1024);
    client.pushBlobs(repository, config, layer);
    return Manifest.dockerImage(config).layer(layer).build();
  }

  static Manifest pushedByDigest(OciClient client, String repository, Manifest manifest) {
    client.pushManifest(repository, manifest.digest(), manifest);
    return manifest;
  }
}
