package io.berth.auth.acl;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One field of an ACL rule's match: a glob ({@code *} any run of characters, also across {@code /}; {@code ?} one
 * character; everything else literal) or, between slashes, a regular expression ({@code /^ci-.+$/}) that must match
 * the whole value. {@code ${account}} stands for the requesting account, inserted literally, so an account name can
 * never widen a pattern.
 */
final class AclPattern {
  private static final String ACCOUNT = "${account}";

  private final String source;
  private final boolean regex;

  private AclPattern(String source, boolean regex) {
    this.source = source;
    this.regex = regex;
  }

  /** Fails with the reason when the pattern is not a valid regular expression. */
  static AclPattern compile(String text) {
    boolean regex = text.length() > 2 && text.startsWith("/") && text.endsWith("/");
    AclPattern pattern = new AclPattern(regex ? text.substring(1, text.length() - 1) : text, regex);
    pattern.toRegex("account");
    return pattern;
  }

  boolean matches(String value, String account) {
    return toRegex(account).matcher(value).matches();
  }

  private Pattern toRegex(String account) {
    StringBuilder out = new StringBuilder();
    int start = 0;
    for (int at = source.indexOf(ACCOUNT); at >= 0; at = source.indexOf(ACCOUNT, start)) {
      out.append(part(source.substring(start, at))).append(Pattern.quote(account));
      start = at + ACCOUNT.length();
    }
    out.append(part(source.substring(start)));
    try {
      return Pattern.compile(out.toString());
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid regular expression /" + source + "/: " + e.getDescription(), e);
    }
  }

  private String part(String text) {
    if (regex) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '*' || c == '?') {
        out.append(literal.isEmpty() ? "" : Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
        literal.setLength(0);
      } else {
        literal.append(c);
      }
    }
    return out.append(literal.isEmpty() ? "" : Pattern.quote(literal.toString())).toString();
  }

  @Override
  public String toString() {
    return regex ? "/" + source + "/" : source;
  }
}
