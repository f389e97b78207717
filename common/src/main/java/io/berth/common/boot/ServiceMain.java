package io.berth.common.boot;

import io.berth.common.config.ClusterConfig;
import io.berth.common.config.ConfigException;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a Berth process, the same for the all-in-one launcher and each service's own {@code main}: read the
 * command line and configuration, build the process's Vert.x (clustered when {@code cluster.enabled}), apply logging,
 * deploy, and on SIGTERM drain, close Vert.x (which leaves the cluster) and exit 0. A failure to start ends the
 * process with status 1 and one log line that says why; a bad command line with status 2.
 */
public final class ServiceMain {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceMain.class);
  private static final long DEPLOY_TIMEOUT_SECONDS = 60;
  /** Joining waits for the named members to answer; Hazelcast gives up on them after a few connection timeouts. */
  private static final long JOIN_TIMEOUT_SECONDS = 120;
  private static final long CLOSE_TIMEOUT_MS = 30_000;

  /** Deploys the services {@code config.cluster().services()} names on {@code vertx}. */
  @FunctionalInterface
  public interface Deployer {
    Future<? extends Deployed> deploy(Vertx vertx, RegistryConfig config, Metrics metrics);
  }

  private final String command;
  private final ClusterConfig.Service only;
  private final Deployer deployer;

  private ServiceMain(String command, ClusterConfig.Service only, Deployer deployer) {
    this.command = command;
    this.only = only;
    this.deployer = deployer;
  }

  /** Deploys a service whose shutdown has nothing to drain: closing Vert.x is all it needs. */
  @FunctionalInterface
  public interface UndrainedDeployer {
    Future<Void> deploy(Vertx vertx, RegistryConfig config, Metrics metrics);
  }

  /** A module's own main: {@code command [--cluster] [config.yml]}, running {@code service} alone. */
  public static ServiceMain forService(String command, ClusterConfig.Service service, Deployer deployer) {
    return new ServiceMain(command, service, deployer);
  }

  /** {@link #forService} for a service with nothing to drain on shutdown. */
  public static ServiceMain forUndrainedService(String command, ClusterConfig.Service service,
      UndrainedDeployer deployer) {
    return forService(command, service,
        (vertx, config, metrics) -> deployer.deploy(vertx, config, metrics).map(Deployed.NOTHING_TO_DRAIN));
  }

  /** The launcher: {@code command [--cluster] [--services a,b] [config.yml]}. */
  public static ServiceMain forServices(String command, Deployer deployer) {
    return new ServiceMain(command, null, deployer);
  }

  public String usage() {
    String services = only == null ? " [--services gateway,blob,manifest,notification,auth]" : "";
    return "usage: " + command + " [--cluster]" + services + " [config.yml]";
  }

  /** Starts the process and returns; Vert.x's threads keep it alive until SIGTERM. */
  public void run(String[] args) {
    ServiceArguments arguments;
    try {
      arguments = ServiceArguments.parse(args, only == null);
    } catch (IllegalArgumentException e) {
      LOG.error("{}; {}", e.getMessage(), usage());
      System.exit(2);
      return;
    }
    if (only != null) {
      arguments = arguments.running(only.id());
    }
    RegistryConfig config = loadConfig(arguments);
    LoggingSetup.apply(config.log());
    if (!config.ignored().isEmpty()) {
      LOG.warn("configuration keys not supported yet, ignored: {}", String.join(", ", config.ignored()));
    }
    Metrics metrics = Metrics.forConfig(config.debug());
    Vertx vertx = startVertx(config, metrics);
    Deployed deployed;
    try {
      deployed = deployer.deploy(vertx, config, metrics).await(DEPLOY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("{} failed to start: {}", command, describe(e));
      LOG.debug("start failure", e);
      closeQuietly(vertx);
      System.exit(1);
      return;
    }
    LOG.info("started [services: {}, event bus: {}]",
        config.cluster().services().stream().map(ClusterConfig.Service::id).collect(Collectors.joining(", ")),
        config.cluster().enabled() ? "clustered, cluster " + config.cluster().name() : "local");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, deployed, config), "berth-shutdown"));
  }

  private RegistryConfig loadConfig(ServiceArguments arguments) {
    Map<String, String> environment = arguments.applyTo(System.getenv());
    // The process's Vert.x records its own meters from birth, so it is built once the configuration says whether
    // to: a short-lived Vert.x reads the configuration.
    Vertx bootstrap = Vertx.vertx();
    try {
      return ConfigLoader.load(bootstrap, arguments.configFile(), environment).await();
    } catch (ConfigException e) {
      LOG.error("configuration error, not starting: {}", e.getMessage());
      System.exit(1);
      return null;
    } finally {
      closeQuietly(bootstrap);
    }
  }

  private Vertx startVertx(RegistryConfig config, Metrics metrics) {
    try {
      return ProcessVertx.create(config.cluster(), metrics).await(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ConfigException e) {
      LOG.error("configuration error, not starting: {}", e.getMessage());
    } catch (Exception e) {
      LOG.error("{} failed to start: cannot join the cluster [name: {}, member: {}:{}]: {}", command,
          config.cluster().name(), config.cluster().host(), config.cluster().port(), describe(e));
      LOG.debug("join failure", e);
    }
    System.exit(1);
    return null;
  }

  /**
   * Runs on SIGTERM/SIGINT. A clean stop ends the process with status 0, as distribution does: left alone, the JVM
   * would report 143 (killed by SIGTERM) however orderly the shutdown was.
   */
  private static void shutdown(Vertx vertx, Deployed deployed, RegistryConfig config) {
    LOG.info("shutting down: finishing in-flight requests");
    try {
      try {
        deployed.drain().await(config.http().drainTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
      } finally {
        vertx.close().await(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      LOG.error("shutdown did not complete cleanly", e);
      return;
    }
    LOG.info("stopped");
    Runtime.getRuntime().halt(0);
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().await(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.debug("closing Vert.x after a failed start", e);
    }
  }

  /** The failure's own message, or its type when it has none. */
  private static String describe(Throwable failure) {
    Throwable cause = failure;
    while (cause.getMessage() == null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }
}
