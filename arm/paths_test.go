package arm

import "testing"

func TestParsePath(t *testing.T) {
	const reg = "/subscriptions/S/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myreg"
	tests := []struct {
		path string
		want armPath
		ok   bool
	}{
		{"/subscriptions", armPath{kind: pathSubscriptions}, true},
		{"/subscriptions/S", armPath{kind: pathSubscriptions, subscription: "S"}, true},
		{"/subscriptions/S/resourcegroups", armPath{kind: pathResourceGroups, subscription: "S"}, true},
		{"/subscriptions/S/resourceGroups/rg", armPath{kind: pathResourceGroup, subscription: "S", resourceGroup: "rg"}, true},
		{"/subscriptions/S/providers/Microsoft.ContainerRegistry/registries", armPath{kind: pathRegistries, subscription: "S"}, true},
		{"/subscriptions/S/resourceGroups/rg/providers/microsoft.containerregistry/Registries", armPath{kind: pathRegistries, subscription: "S", resourceGroup: "rg"}, true},
		{reg, armPath{kind: pathRegistry, subscription: "S", resourceGroup: "rg", registry: "myreg"}, true},
		{reg + "/listCredentials", armPath{kind: pathRegistryAction, subscription: "S", resourceGroup: "rg", registry: "myreg", action: "listCredentials"}, true},
		{reg + "/providers/Microsoft.Authorization/roleAssignments", armPath{kind: pathRoleAssignments, subscription: "S", resourceGroup: "rg", registry: "myreg", scope: reg}, true},
		{reg + "/providers/Microsoft.Authorization/roleAssignments/abc", armPath{kind: pathRoleAssignment, subscription: "S", resourceGroup: "rg", registry: "myreg", scope: reg, name: "abc"}, true},
		{"/subscriptions/S/providers/Microsoft.Authorization/roleDefinitions/g", armPath{kind: pathRoleDefinition, subscription: "S", scope: "/subscriptions/S", name: "g"}, true},
		{"/providers/Microsoft.Authorization/roleDefinitions", armPath{kind: pathRoleDefinitions, scope: "/"}, true},
		{"/subscriptions/S/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x", armPath{}, false},
		{"/subscriptions/S/providers/Microsoft.ContainerRegistry/registries/x", armPath{}, false},
		{"/other", armPath{}, false},
		{"/subscriptions/S/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1", armPath{kind: pathIdentity, subscription: "S", resourceGroup: "rg", identity: "id1"}, true},
		{"/subscriptions/S/providers/Microsoft.ManagedIdentity/userAssignedIdentities", armPath{kind: pathIdentities, subscription: "S"}, true},
	}
	for _, tt := range tests {
		got, err := parsePath(tt.path)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parsePath(%q) = %+v, %v; want %+v ok=%v", tt.path, got, err, tt.want, tt.ok)
		}
	}
}
