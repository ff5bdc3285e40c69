package authz

import (
	"errors"
	"fmt"

	"github.com/acremu/acremu/authz/condition"
)

// ErrInvalidCondition wraps every reason a role assignment's condition is refused at write time; its
// message is ARM's (spec abac-conditions.md §8).
//
//lint:ignore ST1005 the text is ARM's message, capitalised and with its full stop
var ErrInvalidCondition = errors.New(condition.InvalidConditionMessage)

// CheckCondition validates the condition of a role assignment being written: conditionVersion 2.0 only (the
// default when a condition is given without one), a condition that parses and checks, and a role that
// accepts conditions. It returns the version to store. An empty condition with an empty version is valid.
func CheckCondition(role *RoleDefinition, src, version string) (string, error) {
	if src == "" {
		if version != "" {
			return "", fmt.Errorf("%w conditionVersion %q without a condition", ErrInvalidCondition, version)
		}
		return "", nil
	}
	if version == "" {
		version = condition.Version
	}
	if version != condition.Version {
		return "", fmt.Errorf("%w conditionVersion %q: only %q is supported", ErrInvalidCondition, version, condition.Version)
	}
	if _, err := condition.Parse(src); err != nil {
		return "", fmt.Errorf("%w %v", ErrInvalidCondition, err)
	}
	if !role.SupportsConditions() {
		return "", fmt.Errorf("%w role %q does not support conditions", ErrInvalidCondition, role.Name)
	}
	return version, nil
}
