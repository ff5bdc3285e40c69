// Package registry is the data plane of every registry in the emulator. It classifies each /v2/ and
// /acr/v1/ request into the token actions it needs (with distribution's own route table), authenticates
// the caller (a bearer token from package tokens, Basic credentials, or none), checks that the caller's
// access covers the request, and hands it to distribution/v3 (one App per registry) or to its own
// handlers: the OCI 1.1 referrers API, ACR's /acr/v1 API and the OCI-Subject header. Refusals carry ACR's
// error bodies and challenges (package errcode).
package registry
