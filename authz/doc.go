// Package authz is the decision core: the built-in Azure roles (names, GUIDs, Actions, NotActions,
// DataActions), the two role assignment permissions modes of ACR, scope inheritance, groups, deny
// assignments, and the mapping from role permissions to the token actions of ACR's token service.
//
// # Decisions
//
// Decide answers a data-plane request (which of the requested token scopes a principal holds on a
// registry); DecideAction answers a control-plane one (one Action at one ARM scope). Both read an immutable
// Snapshot, perform no I/O and never fail: a deny or a partial grant is a value. Each carries a trace of
// every assignment considered and its verdict, so every refusal can be explained.
//
// # Modes
//
// In rbac mode (LegacyRegistryPermissions) control-plane Actions grant registry-wide data access and the
// repository roles have no effect. In rbac-abac mode (AbacRepositoryPermissions) only DataActions count,
// narrowed per repository by the assignment's condition (package condition); Owner, Contributor and
// Reader keep the control plane only.
package authz
