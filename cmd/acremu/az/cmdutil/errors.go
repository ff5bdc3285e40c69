package cmdutil

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/acremu/acremu/cmd/acremu/az/client"
)

// az's exit codes (azure-cli's handle_exception and argparse).
const (
	ExitOK       = 0
	ExitError    = 1
	ExitUsage    = 2
	ExitNotFound = 3
)

// UsageError is a command line az's parser refuses; az exits with 2.
type UsageError struct{ Msg string }

var _ error = (*UsageError)(nil)

func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a UsageError.
func Usagef(format string, args ...any) error { return &UsageError{Msg: fmt.Sprintf(format, args...)} }

// NotFoundError is az's ResourceNotFoundError raised by the CLI itself (a registry name that no resource
// group holds, say); az exits with 3.
type NotFoundError struct{ Msg string }

var _ error = (*NotFoundError)(nil)

func (e *NotFoundError) Error() string { return e.Msg }

// ExitCode returns az's exit code for err: 2 for usage errors, 3 when a resource was not found (an HTTP
// 404 included), 1 for any other error.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ue *UsageError
	var nf *NotFoundError
	var se client.StatusError
	switch {
	case errors.As(err, &ue):
		return ExitUsage
	case errors.As(err, &nf):
		return ExitNotFound
	case errors.As(err, &se) && se.HTTPStatus() == http.StatusNotFound:
		return ExitNotFound
	}
	return ExitError
}

// ReportError writes az's "ERROR: ..." line for err to stderr and returns the exit code.
func (f *Factory) ReportError(err error) int {
	fmt.Fprintln(f.IO.ErrOut, "ERROR: "+err.Error())
	return ExitCode(err)
}
