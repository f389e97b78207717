package io.berth.auth.refresh;

import java.time.Instant;

/** What a refresh token stands for: one subject at one service (the token spec binds it to both). */
public record RefreshGrant(String subject, String service, Instant issuedAt) {
}
