package io.berth.notify.format;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The optional per-endpoint signature: {@code X-Berth-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes,
 * keyed with the endpoint's secret>}, as GitHub signs its webhooks. No timestamp is signed: the body carries the
 * event's unique {@code id} and {@code timestamp}, so a receiver that drops ids it has seen also drops replays.
 */
public final class Signature {
  public static final String HEADER = "X-Berth-Signature";
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  public Signature(String secret) {
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  public String sign(Buffer body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
