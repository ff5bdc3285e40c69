package storage

import (
	"crypto/sha1"
	"fmt"
	"strings"
)

// ARM id shapes (spec policy-ca-arm.md §4).
const (
	providerRegistries      = "/providers/Microsoft.ContainerRegistry/registries/"
	providerRoleAssignments = "/providers/Microsoft.Authorization/roleAssignments/"
	providerRoleDefinitions = "/providers/Microsoft.Authorization/roleDefinitions/"
)

// SubscriptionID returns the ARM id of a subscription.
func SubscriptionID(sub string) string { return "/subscriptions/" + sub }

// ResourceGroupID returns the ARM id of a resource group.
func ResourceGroupID(sub, rg string) string { return SubscriptionID(sub) + "/resourceGroups/" + rg }

// RegistryID returns the ARM id of a container registry.
func RegistryID(sub, rg, name string) string {
	return ResourceGroupID(sub, rg) + providerRegistries + name
}

// RoleAssignmentID returns the ARM id of a role assignment at a scope.
func RoleAssignmentID(scope, name string) string {
	return strings.TrimRight(scope, "/") + providerRoleAssignments + name
}

// RoleDefinitionID returns the ARM id of a role definition, as ARM reports it in a subscription.
func RoleDefinitionID(sub, guid string) string {
	return SubscriptionID(sub) + providerRoleDefinitions + guid
}

// DeterministicGUID derives a stable, version-5-shaped GUID from its parts, so that seeded objects keep
// their ids from one start to the next.
func DeterministicGUID(parts ...string) string {
	h := sha1.Sum([]byte("acremu\x00" + strings.Join(parts, "\x00")))
	h[6] = (h[6] & 0x0f) | 0x50
	h[8] = (h[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// IsGUID reports whether s is a GUID in its hyphenated form.
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}

// ValidRegistryName applies ARM's rule for registry names: 5 to 50 alphanumerics.
func ValidRegistryName(n string) bool {
	if len(n) < 5 || len(n) > 50 {
		return false
	}
	for _, c := range n {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// ValidResourceGroupName applies ARM's rule for resource group names: 1 to 90 letters, digits, '_', '-',
// '.', '(' and ')', not ending with '.'.
func ValidResourceGroupName(n string) bool {
	if n == "" || len(n) > 90 || strings.HasSuffix(n, ".") {
		return false
	}
	for _, c := range n {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("_-.()", c)) {
			return false
		}
	}
	return true
}
