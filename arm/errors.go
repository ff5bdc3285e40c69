package arm

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Error is an ARM error: the {"error":{"code","message","details"}} envelope with its status.
type Error struct {
	Status  int      `json:"-"`
	Code    string   `json:"code"`
	Message string   `json:"message"`
	Target  string   `json:"target,omitempty"`
	Details []*Error `json:"details,omitempty"`
}

var _ error = (*Error)(nil)

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// Write sends the envelope.
func (e *Error) Write(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("x-ms-failure-cause", "gateway")
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(map[string]*Error{"error": e})
}

// ARM error codes and messages (spec policy-ca-arm.md §4, abac-conditions.md §8; the wording of codes the
// spec leaves open is listed in docs/fidelity.md).
func errMissingAuth() *Error {
	return &Error{Status: http.StatusUnauthorized, Code: "AuthenticationFailed", Message: "Authentication failed. The 'Authorization' header is missing."}
}

func errInvalidToken() *Error {
	return &Error{Status: http.StatusUnauthorized, Code: "InvalidAuthenticationToken", Message: "The access token is invalid."}
}

func errWrongAudience() *Error {
	return &Error{Status: http.StatusUnauthorized, Code: "InvalidAuthenticationTokenAudience",
		Message: "The access token has been obtained for wrong audience or resource. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'."}
}

func errMissingAPIVersion() *Error {
	return &Error{Status: http.StatusBadRequest, Code: "MissingApiVersionParameter", Message: "The api-version query parameter (?api-version=) is required for all requests."}
}

func errUnsupportedAPIVersion(v, resourceType string, supported []string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "NoRegisteredProviderFound",
		Message: fmt.Sprintf("No registered resource provider found for location 'global' and API version '%s' for type '%s'. The supported api-versions are '%s'.", v, resourceType, joinQuoted(supported))}
}

func joinQuoted(vs []string) string {
	out := ""
	for i, v := range vs {
		if i > 0 {
			out += ", "
		}
		out += v
	}
	return out
}

func errAuthorizationFailed(client, oid, action, scope string) *Error {
	return &Error{Status: http.StatusForbidden, Code: "AuthorizationFailed",
		Message: fmt.Sprintf("The client '%s' with object id '%s' does not have authorization to perform action '%s' over scope '%s' or the scope is invalid. If access was recently granted, please refresh your credentials.", client, oid, action, scope)}
}

func errSubscriptionNotFound(sub string) *Error {
	return &Error{Status: http.StatusNotFound, Code: "SubscriptionNotFound", Message: fmt.Sprintf("The subscription '%s' could not be found.", sub)}
}

func errResourceGroupNotFound(rg string) *Error {
	return &Error{Status: http.StatusNotFound, Code: "ResourceGroupNotFound", Message: fmt.Sprintf("Resource group '%s' could not be found.", rg)}
}

func errResourceNotFound(typ, name, rg string) *Error {
	return &Error{Status: http.StatusNotFound, Code: "ResourceNotFound",
		Message: fmt.Sprintf("The Resource '%s/%s' under resource group '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix", typ, name, rg)}
}

func errBadRequest(code, msg string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: code, Message: msg}
}

func errNotFoundPath(path string) *Error {
	return &Error{Status: http.StatusNotFound, Code: "InvalidResourceType", Message: fmt.Sprintf("The resource path '%s' is not supported.", path)}
}

func errMethodNotAllowed(method string) *Error {
	return &Error{Status: http.StatusMethodNotAllowed, Code: "MethodNotAllowed", Message: fmt.Sprintf("The method '%s' is not allowed on this resource.", method)}
}
