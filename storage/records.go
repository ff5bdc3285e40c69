package storage

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"time"
)

// Principal kinds, as ARM's principalType and Graph's @odata.type name them.
const (
	KindUser             = "User"
	KindGroup            = "Group"
	KindServicePrincipal = "ServicePrincipal"
	// KindManagedIdentity is a user-assigned managed identity; ARM reports its principalType as ServicePrincipal.
	KindManagedIdentity = "ManagedIdentity"
)

// Directory is the emulated Entra tenant and its one subscription.
type Directory struct {
	TenantID         string `json:"tenantId"`
	Domain           string `json:"domain"`
	SubscriptionID   string `json:"subscriptionId"`
	SubscriptionName string `json:"subscriptionName"`
}

// Principal is a user, group, service principal or managed identity of the emulated Entra ID.
type Principal struct {
	ObjectID    string `json:"objectId"`
	Kind        string `json:"kind"`
	DisplayName string `json:"displayName"`
	// UPN is a user's user principal name (sign-in name).
	UPN string `json:"upn,omitempty"`
	// AppID is the application (client) id of a service principal or managed identity.
	AppID string `json:"appId,omitempty"`
	// SecretHash is the SHA-256 of a user's password or a service principal's client secret.
	SecretHash string `json:"secretHash,omitempty"`
	// Members lists a group's direct members by object id.
	Members []string `json:"members,omitempty"`
	// ResourceGroup holds a managed identity's resource group.
	ResourceGroup string    `json:"resourceGroup,omitempty"`
	Created       time.Time `json:"created"`
}

// HashSecret returns the stored form of a password or client secret.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CheckSecret reports, in constant time, whether secret is the principal's password or client secret.
func (p *Principal) CheckSecret(secret string) bool {
	if p.SecretHash == "" {
		return false
	}
	want := HashSecret(secret)
	return subtle.ConstantTimeCompare([]byte(want), []byte(p.SecretHash)) == 1
}

// ResourceGroup is an ARM resource group.
type ResourceGroup struct {
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Location string            `json:"location"`
	Tags     map[string]string `json:"tags,omitempty"`
	Created  time.Time         `json:"created"`
}

// Registry is a container registry resource and its data-plane settings.
type Registry struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	ResourceGroup string `json:"resourceGroup"`
	Location      string `json:"location"`
	SKU           string `json:"sku"`
	// LoginServer is the host[:port] clients use, the `service` of the token protocol and the `aud` of tokens.
	LoginServer string `json:"loginServer"`
	// Mode is the ARM roleAssignmentMode value.
	Mode                 string    `json:"roleAssignmentMode"`
	AdminUserEnabled     bool      `json:"adminUserEnabled"`
	AdminPasswords       [2]string `json:"adminPasswords"`
	AnonymousPullEnabled bool      `json:"anonymousPullEnabled"`
	// ModeEpoch counts mode changes; tokens minted under an earlier epoch are refused.
	ModeEpoch int64 `json:"modeEpoch"`
	// Default marks the registry the main listener serves when a request's Host names no registry: the
	// seed's first registry without a listener of its own.
	Default bool `json:"default,omitempty"`
	// Listen is the address of the registry's own listener, if it has one.
	Listen string            `json:"listen,omitempty"`
	Tags   map[string]string `json:"tags,omitempty"`
	// PublicNetworkAccess is Enabled or Disabled (stored; not yet enforced on the data plane).
	PublicNetworkAccess string    `json:"publicNetworkAccess,omitempty"`
	Created             time.Time `json:"created"`
}

// RoleAssignment is a Microsoft.Authorization/roleAssignments resource.
type RoleAssignment struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Scope is the ARM id the assignment applies to.
	Scope string `json:"scope"`
	// RoleDefinitionID is the full ARM id of the role definition.
	RoleDefinitionID string `json:"roleDefinitionId"`
	PrincipalID      string `json:"principalId"`
	PrincipalType    string `json:"principalType"`
	// Condition is stored byte for byte as written.
	Condition        string    `json:"condition,omitempty"`
	ConditionVersion string    `json:"conditionVersion,omitempty"`
	Description      string    `json:"description,omitempty"`
	CreatedOn        time.Time `json:"createdOn"`
	UpdatedOn        time.Time `json:"updatedOn"`
	CreatedBy        string    `json:"createdBy,omitempty"`
}
