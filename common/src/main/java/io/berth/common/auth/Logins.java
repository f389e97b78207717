package io.berth.common.auth;

import io.berth.common.config.LoginThrottleConfig;
import io.berth.common.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Password logins of one server ({@code service}: {@code registry} or {@code issuer}) against an htpasswd file,
 * throttled per account and per client address before any bcrypt is spent. The throttle's state belongs to the
 * process: every verticle instance of the service in this Vert.x counts into the same buckets. Scaled out, each
 * process counts on its own.
 */
public final class Logins {
  private final Htpasswd users;
  private final LoginThrottle throttle;
  private final Map<Htpasswd.Check, Counter> failures = new EnumMap<>(Htpasswd.Check.class);
  private final Map<LoginThrottled.Scope, Counter> throttled = new EnumMap<>(LoginThrottled.Scope.class);

  private Logins(Htpasswd users, LoginThrottle throttle, String service, Metrics metrics) {
    this.users = users;
    this.throttle = throttle;
    for (Htpasswd.Check check : Htpasswd.Check.values()) {
      if (check != Htpasswd.Check.MATCH) {
        failures.put(check, metrics.counter("berth.login.failures", "failed password logins",
            "service", service, "reason", check.name().toLowerCase(Locale.ROOT)));
      }
    }
    for (LoginThrottled.Scope scope : LoginThrottled.Scope.values()) {
      throttled.put(scope, metrics.counter("berth.login.throttled", "logins refused before a password check",
          "service", service, "scope", scope.label()));
    }
  }

  public static Logins create(Vertx vertx, String service, Path file, LoginThrottleConfig config, Metrics metrics) {
    LoginThrottle throttle = ProcessShared.get(vertx, "throttle." + service + "." + config,
        () -> new LoginThrottle(config, System::nanoTime));
    return new Logins(new Htpasswd(vertx, file), throttle, service, metrics);
  }

  /**
   * True when the password is the user's, false when not (an unknown user and a wrong password alike); fails with
   * {@link LoginThrottled} when a limit refuses the attempt, and otherwise only when the file cannot be read.
   */
  public Future<Boolean> login(String user, String password, SocketAddress peer) {
    LoginThrottle.Attempt attempt;
    try {
      attempt = throttle.begin(user, ClientAddresses.key(peer));
    } catch (LoginThrottled refused) {
      throttled.get(refused.scope()).increment();
      return Future.failedFuture(refused);
    }
    return users.verify(user, password, attempt.trusted()).andThen(checked -> {
      if (checked.failed()) {
        attempt.notFailed();
        if (checked.cause() instanceof LoginThrottled refused) {
          throttled.get(refused.scope()).increment();
        }
      } else if (checked.result() == Htpasswd.Check.MATCH) {
        attempt.succeeded();
      } else {
        failures.get(checked.result()).increment();
      }
    }).map(checked -> checked == Htpasswd.Check.MATCH);
  }

  /** Whether the file still names the user with a usable hash. */
  public Future<Boolean> contains(String user) {
    return users.contains(user);
  }
}
