package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ErrNotLoggedIn is returned by every call that needs a token when no account is signed in. Its text is
// az's.
var ErrNotLoggedIn = errors.New("Please run 'az login' to setup account.")

// StatusError is implemented by management API errors, which carry the HTTP status the server answered
// with; az exits with 3 when that status is 404.
type StatusError interface {
	error
	HTTPStatus() int
}

// ARMError is an error response of the management API, printed as az prints azure-core's
// HttpResponseError for an OData v4 error body: "(Code) Message\nCode: Code\nMessage: Message".
type ARMError struct {
	StatusCode int         `json:"-"`
	Code       string      `json:"code"`
	Message    string      `json:"message"`
	Target     string      `json:"target,omitempty"`
	Details    []*ARMError `json:"details,omitempty"`
}

var _ StatusError = (*ARMError)(nil)

// HTTPStatus returns the response status.
func (e *ARMError) HTTPStatus() int { return e.StatusCode }

func (e *ARMError) Error() string {
	return fmt.Sprintf("(%s) %s\n%s", e.Code, e.Message, e.details())
}

// details follows azure-core's ODataV4Format.message_details, including its habit of appending the first
// detail right after "Exception Details:" without a line break.
func (e *ARMError) details() string {
	s := "Code: " + e.Code + "\nMessage: " + e.Message
	if e.Target != "" {
		s += "\nTarget: " + e.Target
	}
	if len(e.Details) > 0 {
		s += "\nException Details:"
		for _, d := range e.Details {
			lines := strings.Split(d.Error(), "\n")
			for i := range lines {
				lines[i] = "\t" + lines[i]
			}
			s += strings.Join(lines, "\n")
		}
	}
	return s
}

// armError decodes an ARM error body, falling back to azure-core's text for bodies it cannot read.
func armError(resp *response) error {
	var env struct {
		Error *ARMError `json:"error"`
	}
	if err := json.Unmarshal(resp.body, &env); err == nil && env.Error != nil && env.Error.Code != "" {
		env.Error.StatusCode = resp.status
		return env.Error
	}
	return &HTTPError{StatusCode: resp.status}
}

// HTTPError is a failed response without a readable error body.
type HTTPError struct {
	StatusCode int
}

var _ StatusError = (*HTTPError)(nil)

// HTTPStatus returns the response status.
func (e *HTTPError) HTTPStatus() int { return e.StatusCode }

func (e *HTTPError) Error() string {
	return fmt.Sprintf("Operation returned an invalid status '%s'", http.StatusText(e.StatusCode))
}

// GraphError is an error response of the directory API: az prints its message alone.
type GraphError struct {
	StatusCode int
	Code       string
	Message    string
}

var _ error = (*GraphError)(nil)

// Error returns the message. az turns Graph errors into plain CLI errors (exit code 1, even for 404).
func (e *GraphError) Error() string { return e.Message }

func graphError(resp *response) error {
	var env struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(resp.body, &env); err == nil && env.Error.Message != "" {
		return &GraphError{StatusCode: resp.status, Code: env.Error.Code, Message: env.Error.Message}
	}
	return &HTTPError{StatusCode: resp.status}
}

// AuthError is an Entra token-endpoint error; its text is the AADSTS description, as az prints it.
type AuthError struct {
	StatusCode  int
	Code        string
	Description string
}

func (e *AuthError) Error() string { return e.Description }

// RegistryError is a failed data-plane call, worded as az's request_data_from_registry words it.
type RegistryError struct {
	StatusCode int
	Message    string
}

var _ error = (*RegistryError)(nil)

// Error returns the message. az's RegistryException is a plain CLI error (exit code 1, even for 404).
func (e *RegistryError) Error() string { return e.Message }

// ConnectionError is a request that got no answer.
type ConnectionError struct {
	URL string
	Err error
}

func (e *ConnectionError) Error() string {
	return fmt.Sprintf("Failed to connect to the acremu server at %s (is `acremu serve` running? set ACREMU_URL or --endpoint): %v", e.URL, e.Err)
}

func (e *ConnectionError) Unwrap() error { return e.Err }
