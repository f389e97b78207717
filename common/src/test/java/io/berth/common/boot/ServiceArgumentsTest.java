package io.berth.common.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line of every Berth process: {@code [--cluster] [--services a,b] [config.yml]}. */
class ServiceArgumentsTest {
  @Test
  void noArgumentsMeanTheConfigurationDecidesEverything() {
    ServiceArguments arguments = ServiceArguments.parse(new String[0], true);

    assertEquals(new ServiceArguments(false, null, null), arguments);
    assertEquals(Map.of("HOME", "/root"), arguments.applyTo(Map.of("HOME", "/root")));
  }

  @Test
  void flagsBecomeTheVariablesOfTheKeysTheySetAboveTheEnvironment() {
    ServiceArguments arguments = ServiceArguments.parse(
        new String[] {"--cluster", "--services", "gateway,blob", "config.yml"}, true);

    assertEquals(new ServiceArguments(true, "gateway,blob", "config.yml"), arguments);
    assertEquals(Map.of("REGISTRY_CLUSTER_ENABLED", "true", "REGISTRY_CLUSTER_SERVICES", "gateway,blob",
            "REGISTRY_HTTP_ADDR", ":5000"),
        arguments.applyTo(Map.of("REGISTRY_CLUSTER_SERVICES", "manifest", "REGISTRY_HTTP_ADDR", ":5000")));
  }

  @Test
  void servicesMayBeJoinedToTheFlagAndFlagsMayFollowTheFile() {
    assertEquals(new ServiceArguments(true, "manifest", "berth.yml"),
        ServiceArguments.parse(new String[] {"berth.yml", "--services=manifest", "--cluster"}, true));
  }

  @Test
  void aModuleMainRunsItsOwnServiceWhateverTheConfigurationNames() {
    ServiceArguments arguments = ServiceArguments.parse(new String[] {"--cluster"}, false).running("blob");

    assertEquals(Map.of("REGISTRY_CLUSTER_ENABLED", "true", "REGISTRY_CLUSTER_SERVICES", "blob"),
        arguments.applyTo(Map.of("REGISTRY_CLUSTER_SERVICES", "gateway")));
  }

  @Test
  void aModuleMainRefusesTheServicesFlag() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> ServiceArguments.parse(new String[] {"--services", "blob"}, false));

    assertEquals("unknown option --services", error.getMessage());
  }

  @Test
  void servicesWithoutAListIsRefused() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> ServiceArguments.parse(new String[] {"--services", "--cluster"}, true));

    assertEquals("--services needs a list of services, such as gateway,blob", error.getMessage());
  }

  @Test
  void anUnknownOptionAndASecondFileAreRefused() {
    assertEquals("unknown option --clustered", assertThrows(IllegalArgumentException.class,
        () -> ServiceArguments.parse(new String[] {"--clustered"}, true)).getMessage());
    assertEquals("one configuration file only, got a.yml and b.yml", assertThrows(IllegalArgumentException.class,
        () -> ServiceArguments.parse(new String[] {"a.yml", "b.yml"}, true)).getMessage());
  }
}
