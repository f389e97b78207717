package io.berth.launcher.conformance;

import io.berth.launcher.RunningRegistry;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One all-in-one registry for a test class ({@code @RegisterExtension static}), removed with its storage after. */
final class RegistryExtension implements BeforeAllCallback, AfterAllCallback {
  private final Map<String, String> environment;
  private RunningRegistry registry;
  private OciClient client;

  RegistryExtension() {
    this(Map.of());
  }

  RegistryExtension(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    registry = RunningRegistry.start(environment);
    client = new OciClient(registry.baseUrl());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    registry.close();
    RunningRegistry.deleteTree(registry.root());
  }

  OciClient client() {
    return client;
  }
}
