package io.berth.common.testing;

import java.util.Map;

/**
 * htpasswd lines whose hash is no usable bcrypt, for the registry's and the issuer's logins alike: user name to the
 * hash on its line, truncated, missing parts, an impossible cost, empty, Apache MD5, not radix-64.
 */
public final class MalformedHashes {
  public static final Map<String, String> BY_USER = Map.of(
      "truncated", "$2",
      "prefix-only", "$2a$",
      "no-salt", "$2y$05$",
      "impossible-cost", "$2a$99$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
      "short", "$2y$05$abcdefghijklmnopqrstuu",
      "empty", "",
      "md5", "$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/",
      "not-radix64", "$2y$05$!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");

  private MalformedHashes() {
  }
}
