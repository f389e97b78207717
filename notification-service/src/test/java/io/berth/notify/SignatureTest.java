package io.berth.notify;

import static io.berth.notify.RunningNotifications.endpoint;
import static io.berth.notify.RunningNotifications.endpoints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.bus.message.RegistryEvent;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@code secret}: {@code X-Berth-Signature: sha256=<hex HMAC-SHA256 of the body>}, verified here the way a receiver
 * does it, with the JDK's HMAC and a constant-time comparison, independently of Berth's code.
 */
class SignatureTest extends ReceiverTestBase {
  private static final String SECRET = "correct horse battery staple";

  /** What a receiver runs: recompute the HMAC over the raw body and compare in constant time. */
  private static boolean verifies(String header, byte[] body, String secret) throws Exception {
    if (header == null || !header.startsWith("sha256=")) {
      return false;
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, header.substring("sha256=".length()).getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void theSignatureVerifiesAndATamperedBodyOrAnotherSecretDoesNot() throws Exception {
    notifications = RunningNotifications.start(vertx, root,
        endpoints(endpoint("signed", receiver.url()).put("secret", SECRET)));

    notifications.publish(TestEvents.manifestPush(TestEvents.newId(), "team/app", "1.0"));
    Receiver.Request request = receiver.await(1).get(0);
    String signature = request.headers().get("X-Berth-Signature");
    byte[] body = request.body().getBytes();

    assertTrue(signature.matches("sha256=[0-9a-f]{64}"), signature);
    assertTrue(verifies(signature, body, SECRET));
    byte[] tampered = request.body().toString().replace("team/app", "team/evil").getBytes(StandardCharsets.UTF_8);
    assertNotEquals(Buffer.buffer(body), Buffer.buffer(tampered));
    assertFalse(verifies(signature, tampered, SECRET));
    assertFalse(verifies(signature, body, "another secret"));
  }

  @Test
  void cloudEventsBodiesAreSignedTooAndEachRequestHasItsOwnSignature() throws Exception {
    notifications = RunningNotifications.start(vertx, root,
        endpoints(endpoint("signed", receiver.url()).put("secret", SECRET).put("format", "cloudevents")));

    notifications.publish(TestEvents.blob(TestEvents.newId(), RegistryEvent.PUSH, "team/app"));
    notifications.publish(TestEvents.blob(TestEvents.newId(), RegistryEvent.PUSH, "team/app"));
    var requests = receiver.await(2);

    for (Receiver.Request request : requests) {
      assertTrue(verifies(request.headers().get("X-Berth-Signature"), request.body().getBytes(), SECRET));
    }
    assertNotEquals(requests.get(0).headers().get("X-Berth-Signature"),
        requests.get(1).headers().get("X-Berth-Signature"));
  }

  @Test
  void anEndpointWithoutASecretSendsNoSignature() throws Exception {
    notifications = RunningNotifications.start(vertx, root, endpoints(endpoint("plain", receiver.url())));

    notifications.publish(TestEvents.blob(TestEvents.newId(), RegistryEvent.PUSH, "team/app"));

    assertNull(receiver.await(1).get(0).headers().get("X-Berth-Signature"));
    assertEquals(1, receiver.requests().size());
  }
}
