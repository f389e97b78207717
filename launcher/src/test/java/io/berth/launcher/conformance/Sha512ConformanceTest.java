package io.berth.launcher.conformance;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Sha512Contract} on the file system. */
class Sha512ConformanceTest extends Sha512Contract {
  @RegisterExtension
  static final RegistryExtension REGISTRY = new RegistryExtension();

  @Override
  OciClient client() {
    return REGISTRY.client();
  }
}
