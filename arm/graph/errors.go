package graph

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/acremu/acremu/storage"
)

// Error is a Graph error: {"error":{"code","message","innerError":{...}}} with its status.
type Error struct {
	Status  int
	Code    string
	Message string
}

var _ error = (*Error)(nil)

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

func (e *Error) write(w http.ResponseWriter, now time.Time) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	id := storage.DeterministicGUID("graph-request", now.String(), e.Code)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": e.Code, "message": e.Message,
		"innerError": map[string]string{"date": now.UTC().Format("2006-01-02T15:04:05"), "request-id": id, "client-request-id": id}}})
}

// Graph error codes and messages, as Microsoft Graph words them for directory objects. Microsoft documents
// the codes; the message texts are those Graph returns in practice.
const (
	codeInvalidToken   = "InvalidAuthenticationToken"
	codeDenied         = "Authorization_RequestDenied"
	codeNotFound       = "Request_ResourceNotFound"
	codeBadRequest     = "Request_BadRequest"
	codeUnsupported    = "Request_UnsupportedQuery"
	codeGenericBad     = "BadRequest"
	msgInsufficient    = "Insufficient privileges to complete the operation."
	msgUnsupported     = "Unsupported Query."
	msgMeDelegatedOnly = "/me request is only valid with delegated authentication flow."
	msgDomainInvalid   = "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization."
	msgPasswordWeak    = "The specified password does not comply with password complexity requirements. Please provide a different password."
	msgMemberExists    = "One or more added object references already exist for the following modified properties: 'members'."
)

func errToken(msg string) *Error {
	return &Error{Status: http.StatusUnauthorized, Code: codeInvalidToken, Message: msg}
}

func errForbidden() *Error {
	return &Error{Status: http.StatusForbidden, Code: codeDenied, Message: msgInsufficient}
}

func errNotFound(id string) *Error {
	return &Error{Status: http.StatusNotFound, Code: codeNotFound,
		Message: fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", id)}
}

func errBadRequest(msg string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: codeBadRequest, Message: msg}
}

func errInvalidProperty(prop, resource string) *Error {
	return errBadRequest(fmt.Sprintf("Invalid value specified for property '%s' of resource '%s'.", prop, resource))
}

func errConflict(prop string) *Error {
	return errBadRequest(fmt.Sprintf("Another object with the same value for property %s already exists.", prop))
}
