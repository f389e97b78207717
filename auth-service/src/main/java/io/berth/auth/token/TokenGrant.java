package io.berth.auth.token;

import io.berth.common.auth.Scope;
import java.util.List;

/** The answer to a token request: the access token, what it grants, and a refresh token when one was asked for. */
public record TokenGrant(IssuedToken token, List<Scope> access, String refreshToken) {
  public TokenGrant {
    access = List.copyOf(access);
  }

  /** The granted scopes as OAuth2's {@code scope} response field wants them: space-separated, nothing-granted left out. */
  public String scope() {
    return String.join(" ", access.stream().filter(scope -> !scope.actions().isEmpty()).map(Scope::toString)
        .toList());
  }
}
