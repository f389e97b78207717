package io.berth.auth.keys;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;

/**
 * The public key of a private key, for a generated key found without its certificate (another instance wrote the
 * key and has not written the certificate yet, or stopped in between): an RSA key in CRT form carries its public
 * exponent, an EC public key is the generator times the private scalar.
 */
final class PublicKeys {
  private PublicKeys() {
  }

  static PublicKey of(PrivateKey key) throws GeneralSecurityException {
    if (key instanceof RSAPrivateCrtKey rsa) {
      return KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
    }
    if (key instanceof ECPrivateKey ec) {
      ECParameterSpec parameters = ec.getParams();
      var point = EC5Util.convertPoint(parameters, parameters.getGenerator()).multiply(ec.getS()).normalize();
      return KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(EC5Util.convertPoint(point), parameters));
    }
    throw new GeneralSecurityException("cannot find the public key of a " + key.getAlgorithm() + " private key");
  }
}
