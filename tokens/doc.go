// Package tokens is ACR's token service, served on each registry's own host and port: the 401 challenge
// parameters, POST /oauth2/exchange (an Entra token for an ACR refresh token), GET /oauth2/token (Basic
// credentials) and POST /oauth2/token (refresh_token and password grants), the ES256 access tokens the data
// plane verifies, and the log of the authorization decisions behind them.
//
// Every grant is the intersection of the requested scopes and what authz decides the caller holds; a
// partial grant is never an error (spec acr-dataplane-auth.md §1).
package tokens
