/** The token issuer of the Docker token-auth split (issue 3): users, ACLs, signing keys, GET/POST /token, JWKS. */
package io.berth.auth;
