package io.berth.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** What check-config may print: credentials masked wherever distribution's keys put them, paths and the rest kept. */
class SecretMaskTest {
  private static final String CONFIG = """
      {"http": {"addr": ":5000", "secret": "hmac-secret",
                "headers": {"Access-Control-Allow-Origin": ["http://ui.example.com"]},
                "tls": {"certificate": "/certs/domain.crt", "key": "/certs/domain.key"}},
       "storage": {"s3": {"accesskey": "AKIA-ID", "secretkey": "aws-secret", "bucket": "images"},
                   "gcs": {"credentials": {"type": "service_account", "private_key": "pem"}},
                   "oss": {"accesskeyid": "oss-id", "accesskeysecret": "oss-secret"},
                   "azure": {"accountkey": "azure-key"}},
       "redis": {"addr": "redis:6379", "password": "redis-password"},
       "proxy": {"remoteurl": "https://user:pull-token@registry-1.docker.io", "password": "hub-password"},
       "log": {"hooks": [{"type": "mail", "options": {"smtp": {"addr": "smtp:25", "password": "smtp-password"}}}]},
       "reporting": {"bugsnag": {"apikey": "bugsnag-key"}, "newrelic": {"licensekey": "newrelic-key"}},
       "auth": {"htpasswd": {"realm": "basic-realm", "path": "/auth/htpasswd"}},
       "notifications": {"endpoints": [{"name": "ci", "url": "https://hook:hook-password@ci.example.com/event",
         "secret": "signing-secret", "headers": {"Authorization": ["Bearer webhook-token"], "X-Team": ["ops"]}}]}}
      """;

  @Test
  void everyCredentialIsMaskedAndNothingElse() {
    JsonObject masked = SecretMask.mask(new JsonObject(CONFIG));

    for (String secret : new String[] {"hmac-secret", "AKIA-ID", "aws-secret", "pem", "oss-id", "oss-secret",
        "azure-key", "redis-password", "pull-token", "hub-password", "smtp-password", "bugsnag-key", "newrelic-key",
        "hook-password", "signing-secret", "webhook-token", "ops"}) {
      assertFalse(masked.encode().contains(secret), secret + " in " + masked.encodePrettily());
    }
    assertEquals(new JsonObject(CONFIG).getJsonObject("http").put("secret", SecretMask.MASK),
        masked.getJsonObject("http"));
    assertEquals("https://<masked>@registry-1.docker.io", masked.getJsonObject("proxy").getString("remoteurl"));
    assertEquals("https://<masked>@ci.example.com/event",
        masked.getJsonObject("notifications").getJsonArray("endpoints").getJsonObject(0).getString("url"));
    assertEquals(new JsonObject().put("type", SecretMask.MASK).put("private_key", SecretMask.MASK),
        masked.getJsonObject("storage").getJsonObject("gcs").getJsonObject("credentials"));
    assertEquals("images", masked.getJsonObject("storage").getJsonObject("s3").getString("bucket"));
    assertEquals(new JsonObject(CONFIG).getJsonObject("auth"), masked.getJsonObject("auth"));
  }

  @Test
  void theTreeGivenIsLeftUnchanged() {
    JsonObject config = new JsonObject(CONFIG);

    SecretMask.mask(config);

    assertEquals(new JsonObject(CONFIG), config);
  }
}
