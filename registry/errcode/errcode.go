// Package errcode is ACR's data-plane error dialect: the {"errors":[{code,message,detail}]} envelope, its
// codes, and the WWW-Authenticate challenges that travel with 401s. The registry and the token service
// both write through it.
package errcode

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Codes (spec acr-dataplane-auth.md §2; OCI distribution-spec error codes).
const (
	CodeUnauthorized = "UNAUTHORIZED"
	CodeUnsupported  = "UNSUPPORTED"
	CodeNameUnknown  = "NAME_UNKNOWN"
	CodeNameInvalid  = "NAME_INVALID"
	CodeManifestInv  = "MANIFEST_INVALID"
	CodeManifestUnk  = "MANIFEST_UNKNOWN"
	CodeDigestInv    = "DIGEST_INVALID"
)

// Messages ACR writes (spec acr-dataplane-auth.md §1.2, §2).
const (
	// MsgAuthRequired is the message of a 401 without usable credentials.
	MsgAuthRequired = "authentication required, visit https://aka.ms/acr/authorization for more information."
	// MsgBadClientSecret is the token server's message for a wrong service principal secret or unknown app id.
	MsgBadClientSecret = "Invalid clientid or client secret."
	// MsgClientIDNotGUID is the token server's message for a Basic user name that is neither a GUID nor the
	// admin user.
	MsgClientIDNotGUID = "aad access token with sp failed client id must be guid"
	// MsgAppNotRegistered is the exchange's message for an Entra identity the directory does not know.
	MsgAppNotRegistered = "Application not registered with AAD."
	// MsgNameUnknown, MsgNameInvalid and MsgUnsupported are distribution's texts for those codes.
	MsgNameUnknown = "repository name not known to registry"
	MsgNameInvalid = "invalid repository name"
	MsgUnsupported = "The operation is unsupported."
	// MsgRegistryNotFound answers a request that reaches no registry (the emulator holds none).
	MsgRegistryNotFound = "registry not found"
)

// Challenge header values.
const (
	// BasicChallenge answers wrong Basic credentials on /v2/* (spec acr-dataplane-auth.md §1.3).
	BasicChallenge = `Basic realm="Azure Container Registry"`
	// ErrInvalidToken and ErrInsufficientScope are the error= parameters of a Bearer challenge.
	ErrInvalidToken      = "invalid_token"
	ErrInsufficientScope = "insufficient_scope"
)

// Detail is one entry of an UNAUTHORIZED detail array; ACR capitalises the keys.
type Detail struct {
	Type   string `json:"Type"`
	Name   string `json:"Name"`
	Action string `json:"Action"`
}

// Error is one data-plane error with its HTTP status and the headers that must go with it.
type Error struct {
	Status  int
	Code    string
	Message string
	Detail  any
	// Challenge, when set, is written as WWW-Authenticate.
	Challenge string
}

var _ error = (*Error)(nil)

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// Write sends the error: headers, status and the {"errors":[...]} envelope.
func (e *Error) Write(w http.ResponseWriter) {
	h := w.Header()
	if e.Challenge != "" {
		h.Set("WWW-Authenticate", e.Challenge)
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Docker-Distribution-Api-Version", "registry/2.0")
	h.Set("Access-Control-Expose-Headers", "Docker-Content-Digest, WWW-Authenticate, Link")
	w.WriteHeader(e.Status)
	type entry struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Detail  any    `json:"detail,omitempty"`
	}
	_ = json.NewEncoder(w).Encode(map[string][]entry{"errors": {{e.Code, e.Message, e.Detail}}})
}

// New returns an error with a status, code and message.
func New(status int, code, message string) *Error {
	return &Error{Status: status, Code: code, Message: message}
}

// Bearer builds a Bearer challenge: realm, service, then scope and error when given (distribution's
// challengeParams order, which ACR follows).
func Bearer(realm, service, scope, errParam string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Bearer realm=%q,service=%q", realm, service)
	if scope != "" {
		fmt.Fprintf(&b, ",scope=%q", scope)
	}
	if errParam != "" {
		fmt.Fprintf(&b, ",error=%q", errParam)
	}
	return b.String()
}
