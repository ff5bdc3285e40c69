package entra

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Error is an Entra token-endpoint error: an OAuth2 error code, an AADSTS number and its description.
type Error struct {
	Status      int
	Code        string // OAuth2 error: invalid_request, invalid_client, invalid_grant...
	AADSTS      int
	Description string
}

var _ error = (*Error)(nil)

func (e *Error) Error() string { return fmt.Sprintf("AADSTS%d: %s", e.AADSTS, e.Description) }

// AADSTS error codes and texts, as Entra words them.
func errTenantNotFound(t string) *Error {
	return &Error{http.StatusBadRequest, "invalid_request", 90002, fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", t)}
}

func errInvalidRequest(msg string) *Error {
	return &Error{http.StatusBadRequest, "invalid_request", 900144, msg}
}

func errUnsupportedGrant(gt string) *Error {
	return &Error{http.StatusBadRequest, "unsupported_grant_type", 70003, fmt.Sprintf("The app requested an unsupported grant type '%s'.", gt)}
}

func errResourceNotFound(res string) *Error {
	return &Error{http.StatusBadRequest, "invalid_resource", 500011, fmt.Sprintf("The resource principal named %s was not found in the tenant.", res)}
}

func errAppNotFound(appID, tenant string) *Error {
	return &Error{http.StatusBadRequest, "unauthorized_client", 700016, fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'.", appID, tenant)}
}

func errInvalidSecret(appID string) *Error {
	return &Error{http.StatusUnauthorized, "invalid_client", 7000215, fmt.Sprintf("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", appID)}
}

func errBadPassword() *Error {
	return &Error{http.StatusBadRequest, "invalid_grant", 50126, "Error validating credentials due to invalid username or password."}
}

// writeError writes Entra's JSON error body.
func writeError(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{http.StatusInternalServerError, "server_error", 90000, err.Error()}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"error":             e.Code,
		"error_description": e.Error(),
		"error_codes":       []int{e.AADSTS},
		"timestamp":         time.Now().UTC().Format("2006-01-02 15:04:05Z"),
		"error_uri":         fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", e.AADSTS),
	})
}
