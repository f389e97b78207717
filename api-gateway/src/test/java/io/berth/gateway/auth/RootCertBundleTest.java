package io.berth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.auth.KeyIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rootcertbundle} is read as distribution reads it (a loop over Go's pem.Decode keeping CERTIFICATE blocks):
 * explanatory text and other PEM blocks, such as the issuer's key concatenated into the same file, are skipped.
 */
class RootCertBundleTest {
  @TempDir
  Path directory;

  @Test
  void keyBlockAndTextBesideTheCertificateAreSkipped() throws Exception {
    TestPki.Identity issuer = TestPki.selfSignedCa("CN=Bundle Test Issuer");
    Path certificate = TestPki.writeBundle(directory.resolve("issuer.pem"), issuer.certificate());
    String key = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(issuer.privateKey().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Path bundle = Files.writeString(directory.resolve("bundle.pem"),
        "subject=CN = Bundle Test Issuer\n" + Files.readString(certificate) + key);

    TokenVerifier verifier = new TokenVerifier(TrustedKeys.load(bundle, null, Clock.systemUTC()),
        EnumSet.copyOf(JwsAlgorithm.DEFAULTS), Jwts.ISSUER, Jwts.SERVICE, Clock.systemUTC());
    String token = Jwts.sign(Jwts.header("RS256").put("kid", KeyIds.libtrust(issuer.publicKey())),
        Jwts.claims(Jwts.access("repository", "app/one", "pull")), issuer.privateKey());

    assertEquals("alice", verifier.verify(token).subject());
  }
}
