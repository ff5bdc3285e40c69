package authz

import "github.com/acremu/acremu/authz/condition"

// ControlDecision is the answer to a control-plane (ARM) request: one Action at one scope.
type ControlDecision struct {
	Allowed bool
	Check   Check
}

// DecideAction answers whether the principal (directly or through its groups) holds a control-plane
// Action at target, through an assignment at target or above. Conditions are evaluated with the action
// and no attributes, so repository conditions, which target data actions only, never restrict it. Like
// Decide, it evaluates every candidate so that the trace is complete, performs no I/O and never fails.
func DecideAction(s *Snapshot, p Principal, target, action string) ControlDecision {
	t := normScope(target)
	c := Check{Type: "action", Name: target, Action: action}
	for _, ix := range s.candidates(p.ObjectID, s.Groups(p.ObjectID)) {
		v := Considered{AssignmentID: ix.ID, Scope: ix.Scope, PrincipalID: ix.PrincipalID, RoleID: ix.RoleDefinitionID}
		switch {
		case ix.role == nil:
			v.Verdict = VerdictUnknownRole
		case !scopeCovers(ix.scope, t):
			v.Verdict = VerdictOutOfScope
		case !ix.role.GrantsAction(action):
			v.RoleName, v.Verdict = ix.role.Name, VerdictNotInRole
		case ix.Condition != nil && !ix.Condition.Eval(condition.Env{Action: action}).Value:
			r := ix.Condition.Eval(condition.Env{Action: action})
			v.RoleName, v.Verdict, v.Detail = ix.role.Name, VerdictConditionFalse, r.Reason
		default:
			v.RoleName, v.Verdict = ix.role.Name, VerdictGranted
			c.Granted = true
		}
		c.Assignments = append(c.Assignments, v)
	}
	if len(c.Assignments) == 0 {
		c.Rule = "no role assignment for the principal or its groups"
	}
	return ControlDecision{Allowed: c.Granted, Check: c}
}
