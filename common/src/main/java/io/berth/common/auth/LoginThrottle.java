package io.berth.common.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.common.config.LoginThrottleConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.function.LongSupplier;

/**
 * Failed logins per account and per client address, each a {@link TokenBucket} of {@code accountFailures} /
 * {@code addressFailures} per window. An attempt takes one from both before its password is checked (so concurrent
 * attempts cannot all slip past a limit) and a success gives its own back: a guesser who logs into an account of
 * its own gets back only that attempt, never the failures it spent on others. Unknown and known accounts are
 * counted alike, so a 429 tells nothing about which names exist. An attempt of an account from an address where
 * it logged in right within {@link #TRUSTED_FOR} is trusted: its check goes ahead of the others
 * ({@link BcryptWorkers}). Trust is what a guesser cannot earn: "no failure counted" was earned back by waiting for
 * the buckets to refill and making up a fresh name each time, which put paced guesses beside right logins.
 *
 * <p>Each scope keeps at most {@value #MAX_KEYS} keys (Caffeine, size-bounded, forgetting a key a window after its
 * last attempt, when its bucket is full again anyway), so a flood of made-up user names cannot exhaust memory;
 * account names are kept as SHA-256, whatever their length. Evicting a key that is still counting requires that many
 * other keys within one window, and Caffeine's admission policy favours the keys in use.
 */
final class LoginThrottle {
  static final int MAX_KEYS = 10_000;
  static final Duration TRUSTED_FOR = Duration.ofHours(24);

  private final LoginThrottleConfig config;
  private final LongSupplier nanoTime;
  private final Cache<String, TokenBucket> accounts;
  private final Cache<String, TokenBucket> addresses;
  private final Cache<String, Boolean> trusted;

  LoginThrottle(LoginThrottleConfig config, LongSupplier nanoTime) {
    this.config = config;
    this.nanoTime = nanoTime;
    this.accounts = buckets(config);
    this.addresses = buckets(config);
    this.trusted = Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterWrite(TRUSTED_FOR).ticker(nanoTime::getAsLong)
        .executor(Runnable::run).build();
  }

  /** One login attempt, counted as a failure unless it succeeds; refused when either limit is used up. */
  Attempt begin(String account, String address) {
    long now = nanoTime.getAsLong();
    String accountKey = accountKey(account);
    TokenBucket byAccount = bucket(accounts, accountKey, config.accountFailures(), now);
    TokenBucket byAddress = bucket(addresses, address, config.addressFailures(), now);
    String pair = accountKey + " " + address;
    long accountWait = byAccount == null ? 0 : byAccount.take(now);
    if (accountWait > 0) {
      throw refusal(LoginThrottled.Scope.ACCOUNT, accountWait);
    }
    long addressWait = byAddress == null ? 0 : byAddress.take(now);
    if (addressWait > 0) {
      if (byAccount != null) {
        byAccount.giveBack(now);
      }
      throw refusal(LoginThrottled.Scope.ADDRESS, addressWait);
    }
    return new Attempt(byAccount, byAddress, pair, trusted.getIfPresent(pair) != null);
  }

  /** The outcome of an attempt that was let through. */
  final class Attempt {
    private final TokenBucket byAccount;
    private final TokenBucket byAddress;
    private final String pair;
    private final boolean trustedPair;

    private Attempt(TokenBucket byAccount, TokenBucket byAddress, String pair, boolean trustedPair) {
      this.byAccount = byAccount;
      this.byAddress = byAddress;
      this.pair = pair;
      this.trustedPair = trustedPair;
    }

    /** The account logged in right from this address within {@link #TRUSTED_FOR} before this attempt. */
    boolean trusted() {
      return trustedPair;
    }

    /** The password was right: no failure, and the account is trusted from this address from now on. */
    void succeeded() {
      notFailed();
      trusted.put(pair, Boolean.TRUE);
    }

    /** No check happened: the attempt was no failure. */
    void notFailed() {
      long now = nanoTime.getAsLong();
      if (byAccount != null) {
        byAccount.giveBack(now);
      }
      if (byAddress != null) {
        byAddress.giveBack(now);
      }
    }
  }

  /** How many keys both scopes hold now, after pending evictions. */
  long keys() {
    accounts.cleanUp();
    addresses.cleanUp();
    return accounts.estimatedSize() + addresses.estimatedSize();
  }

  private TokenBucket bucket(Cache<String, TokenBucket> buckets, String key, int capacity, long now) {
    return capacity == 0 ? null : buckets.get(key, absent -> new TokenBucket(capacity, config.window(), now));
  }

  private static LoginThrottled refusal(LoginThrottled.Scope scope, long waitNanos) {
    return new LoginThrottled(scope, Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L));
  }

  private static Cache<String, TokenBucket> buckets(LoginThrottleConfig config) {
    // Maintenance on the calling thread: no tasks for the common ForkJoinPool.
    return Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterAccess(config.window()).executor(Runnable::run)
        .build();
  }

  private static String accountKey(String account) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(account.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
