package seed

// The development identities created when the emulator starts with no seed on an empty data dir. Like
// Azurite's devstoreaccount1, they are fixed and public: never reuse them outside the emulator. The README
// lists them.
const (
	DevTenantID       = "ac7e0000-0000-4000-8000-000000000001"
	DevSubscriptionID = "ac7e0000-0000-4000-8000-000000000002"
	DevResourceGroup  = "acremu-rg"
	DevRegistry       = "myregistry"
	DevUser           = "dev@acremu.onmicrosoft.com"
	DevUserPassword   = "acremu-Dev-Passw0rd"
	DevUserObjectID   = "ac7e0000-0000-4000-8000-000000000010"
	DevSPName         = "acremu-dev-sp"
	DevSPAppID        = "ac7e0000-0000-4000-8000-000000000020"
	DevSPObjectID     = "ac7e0000-0000-4000-8000-000000000021"
	DevSPSecret       = "acremu-dev-sp-secret"
)

// Default returns the development seed: a tenant, a subscription, a resource group, the registry myregistry
// (answering on the main listener), an Owner user at subscription scope and a service principal holding
// AcrPush on the registry.
func Default() *Seed {
	regID := "/subscriptions/" + DevSubscriptionID + "/resourceGroups/" + DevResourceGroup +
		"/providers/Microsoft.ContainerRegistry/registries/" + DevRegistry
	return &Seed{
		Tenant:         DevTenantID,
		Subscription:   DevSubscriptionID,
		ResourceGroups: []ResourceGroup{{Name: DevResourceGroup, Location: "eastus"}},
		Users:          []User{{Name: DevUser, Password: DevUserPassword, ObjectID: DevUserObjectID, DisplayName: "acremu developer"}},
		ServicePrincipals: []ServicePrincipal{{Name: DevSPName, AppID: DevSPAppID, ObjectID: DevSPObjectID,
			Secret: DevSPSecret}},
		Registries: []Registry{{Name: DevRegistry, ResourceGroup: DevResourceGroup, SKU: "Standard",
			RoleAssignmentMode: "rbac"}},
		RoleAssignments: []RoleAssignment{
			{Role: "Owner", Assignee: DevUser, Scope: "/subscriptions/" + DevSubscriptionID,
				Description: "acremu development owner"},
			{Role: "AcrPush", Assignee: DevSPName, Scope: regID, Description: "acremu development pusher"},
		},
	}
}
