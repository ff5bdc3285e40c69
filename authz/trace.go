package authz

import (
	"fmt"
	"strings"
)

// Verdict is the fate of one assignment for one requested action.
type Verdict int

// Verdicts, in the words the trace prints.
const (
	// VerdictGranted: the assignment grants the action.
	VerdictGranted Verdict = iota
	// VerdictOutOfScope: the assignment's scope is neither the registry nor one of its ancestors.
	VerdictOutOfScope
	// VerdictUnknownRole: the assignment names a role definition that does not exist.
	VerdictUnknownRole
	// VerdictNotInRole: the role has no permission for the action.
	VerdictNotInRole
	// VerdictNotHonoured: the role grants the action only in the other mode (AcrPull/AcrPush/AcrDelete in
	// rbac-abac; the Container Registry Repository roles in rbac).
	VerdictNotHonoured
	// VerdictControlPlaneOnly: Owner, Contributor and Reader keep only control-plane rights in rbac-abac.
	VerdictControlPlaneOnly
	// VerdictConditionFalse: the role grants the data action but the assignment's condition is false.
	VerdictConditionFalse
	// VerdictConditionUnsupported: rbac mode does not evaluate conditions, so a conditioned assignment grants
	// nothing there (docs/fidelity.md).
	VerdictConditionUnsupported
)

var verdictText = [...]string{
	VerdictGranted:              "granted",
	VerdictOutOfScope:           "wrong scope",
	VerdictUnknownRole:          "unknown role definition",
	VerdictNotInRole:            "role has no matching permission",
	VerdictNotHonoured:          "role not honoured in this mode",
	VerdictControlPlaneOnly:     "control-plane-only role in this mode",
	VerdictConditionFalse:       "condition false",
	VerdictConditionUnsupported: "conditions are not evaluated in rbac mode",
}

// String returns the verdict in words.
func (v Verdict) String() string {
	if int(v) < len(verdictText) {
		return verdictText[v]
	}
	return fmt.Sprintf("verdict(%d)", int(v))
}

// MarshalText makes verdicts readable in JSON traces.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// Considered records one assignment's fate for one action.
type Considered struct {
	AssignmentID string  `json:"assignmentId"`
	RoleID       string  `json:"roleDefinitionId"`
	RoleName     string  `json:"roleName"`
	Scope        string  `json:"scope"`
	PrincipalID  string  `json:"principalId"`
	Verdict      Verdict `json:"verdict"`
	// Detail is the condition's explanation: the sub-expression that decided and the attribute value it saw.
	Detail string `json:"detail,omitempty"`
}

// Check is the decision on one requested (type, name, action).
type Check struct {
	Type    string `json:"type"`
	Name    string `json:"name"`
	Action  string `json:"action"`
	Granted bool   `json:"granted"`
	// Rule names the mode rule that decided without any assignment, if one did.
	Rule        string       `json:"rule,omitempty"`
	Assignments []Considered `json:"assignments"`
}

// Trace explains a decision: the caller, its groups, the registry and each check.
type Trace struct {
	Principal Principal `json:"principal"`
	Groups    []string  `json:"groups"`
	Registry  Registry  `json:"registry"`
	Checks    []Check   `json:"checks"`
}

// String renders the trace as indented text for logs and the CLI.
func (t Trace) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "principal %s (%s %s) on registry %s, mode %s\n", t.Principal.Name, t.Principal.Kind,
		t.Principal.ObjectID, t.Registry.Name, t.Registry.Mode.CLIName())
	if len(t.Groups) > 0 {
		fmt.Fprintf(&b, "  groups: %s\n", strings.Join(t.Groups, ", "))
	}
	for _, c := range t.Checks {
		outcome := "DENIED"
		if c.Granted {
			outcome = "GRANTED"
		}
		fmt.Fprintf(&b, "  %s:%s:%s %s", c.Type, c.Name, c.Action, outcome)
		if c.Rule != "" {
			fmt.Fprintf(&b, " (%s)", c.Rule)
		}
		b.WriteByte('\n')
		for _, a := range c.Assignments {
			fmt.Fprintf(&b, "    - %s at %s [%s]: %s", a.RoleName, a.Scope, a.AssignmentID, a.Verdict)
			if a.Detail != "" {
				fmt.Fprintf(&b, ": %s", a.Detail)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// MarshalText makes modes readable in JSON traces.
func (m Mode) MarshalText() ([]byte, error) { return []byte(m.CLIName()), nil }

// Denials summarises, one line per refused check, why nothing granted it: the mode rule, or each
// assignment's verdict. It is empty when every check was granted.
func (t Trace) Denials() []string {
	var out []string
	for _, c := range t.Checks {
		if c.Granted {
			continue
		}
		line := c.Type + ":" + c.Name + ":" + c.Action + " denied"
		if c.Rule != "" {
			line += ": " + c.Rule
		}
		for i, a := range c.Assignments {
			sep := "; "
			if i == 0 && c.Rule == "" {
				sep = ": "
			}
			line += sep + a.RoleName + " at " + a.Scope + " " + a.Verdict.String()
			if a.Detail != "" {
				line += " (" + a.Detail + ")"
			}
		}
		out = append(out, line)
	}
	return out
}
