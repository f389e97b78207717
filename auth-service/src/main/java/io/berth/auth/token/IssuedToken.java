package io.berth.auth.token;

import java.time.Instant;

/** A signed access token, when it was issued and for how many seconds it is valid. */
public record IssuedToken(String jwt, Instant issuedAt, long expiresIn) {
}
