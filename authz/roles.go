package authz

import (
	"strings"

	"github.com/acremu/acremu/authz/condition"
)

// Permission is one entry of a role definition's permissions array (spec abac-conditions.md §6.2).
type Permission struct {
	Actions        []string `json:"actions"`
	NotActions     []string `json:"notActions"`
	DataActions    []string `json:"dataActions"`
	NotDataActions []string `json:"notDataActions"`
}

// RoleDefinition is an Azure role: built in, or custom.
type RoleDefinition struct {
	// ID is the role definition's GUID (the last segment of its ARM id).
	ID          string       `json:"id"`
	Name        string       `json:"roleName"`
	Description string       `json:"description"`
	BuiltIn     bool         `json:"builtIn"`
	Permissions []Permission `json:"permissions"`
	// AssignableScopes lists where the role may be assigned; "/" for built-in roles.
	AssignableScopes []string `json:"assignableScopes"`
}

// GrantsAction reports whether the role grants the control-plane action: some permission entry matches it
// in Actions and not in NotActions of that same entry (NotActions subtract, they never deny).
func (r *RoleDefinition) GrantsAction(action string) bool {
	for _, p := range r.Permissions {
		if matchesAny(p.Actions, action) && !matchesAny(p.NotActions, action) {
			return true
		}
	}
	return false
}

// GrantsDataAction reports whether the role grants the data action (DataActions minus NotDataActions).
func (r *RoleDefinition) GrantsDataAction(action string) bool {
	for _, p := range r.Permissions {
		if matchesAny(p.DataActions, action) && !matchesAny(p.NotDataActions, action) {
			return true
		}
	}
	return false
}

// HasDataActions reports whether any permission entry lists a data action.
func (r *RoleDefinition) HasDataActions() bool {
	for _, p := range r.Permissions {
		if len(p.DataActions) > 0 {
			return true
		}
	}
	return false
}

func matchesAny(patterns []string, action string) bool {
	for _, p := range patterns {
		if condition.MatchAction(p, action) {
			return true
		}
	}
	return false
}

// Built-in role GUIDs (spec acr-dataplane-auth.md §4, azure-docs built-in-roles/containers.md).
const (
	RoleOwner                     = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
	RoleContributor               = "b24988ac-6180-42a0-ab88-20f7382dd24c"
	RoleReader                    = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
	RoleUserAccessAdministrator   = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
	RoleAcrPull                   = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
	RoleAcrPush                   = "8311e382-0749-4cb8-b61a-304f252e45ec"
	RoleAcrDelete                 = "c2f4ef07-c644-48eb-af81-4b1b4947fb11"
	RoleAcrImageSigner            = "6cef56e8-d556-48e5-a04f-b8e64114680f"
	RoleAcrQuarantineReader       = "cdda3590-29a3-44f6-95f2-9f980659eb04"
	RoleAcrQuarantineWriter       = "c8d4ff99-41c3-41a8-9f60-21dfdad59608"
	RoleRepositoryReader          = "b93aa761-3e63-49ed-ac28-beffa264f7ac"
	RoleRepositoryWriter          = "2a1e307c-b015-4ebd-883e-5b7698a07328"
	RoleRepositoryContributor     = "2efddaa5-3f1f-4df3-97df-af3f13818f4c"
	RoleCatalogLister             = "bfdb9389-c9a5-478a-bb2f-ba9ca092c3c7"
	RoleDataImporterAndReader     = "577a9874-89fd-4f24-9dbd-b5034d0ad23a"
	RoleConfigurationReader       = "69b07be0-09bf-439a-b9a6-e73de851bd59"
	RoleContributorAndDataAccess  = "3bc748fc-213d-45c1-8d91-9da5725539b9"
	RoleTasksContributor          = "fb382eab-e894-4461-af04-94435c366c3f"
	RoleTransferPipelineContrib   = "bf94e731-3a51-4a7c-8c54-a1ab9971dfc1"
	RoleCacheRuleAdministrator    = "df87f177-bb12-4db1-9793-a413691eff94"
	RoleCacheRuleReader           = "c357b964-0002-4b64-a50d-7a28f02edc52"
	RoleCredentialSetAdministrato = "f094fb07-0703-4400-ad6a-e16dd8000e14"
	RoleCredentialSetReader       = "29093635-9924-4f2c-913b-650a12949526"
)

// ACR permission strings (spec acr-dataplane-auth.md §3.2, §4; abac-conditions.md §7.2).
const (
	ActionPullRead          = "Microsoft.ContainerRegistry/registries/pull/read"
	ActionPushWrite         = "Microsoft.ContainerRegistry/registries/push/write"
	ActionArtifactsDelete   = "Microsoft.ContainerRegistry/registries/artifacts/delete"
	ActionMetadataRead      = "Microsoft.ContainerRegistry/registries/metadata/read"
	ActionMetadataWrite     = "Microsoft.ContainerRegistry/registries/metadata/write"
	ActionDeletedRead       = "Microsoft.ContainerRegistry/registries/deleted/read"
	ActionDeletedRestore    = "Microsoft.ContainerRegistry/registries/deleted/restore/action"
	ActionSignWrite         = "Microsoft.ContainerRegistry/registries/sign/write"
	DataContentRead         = "Microsoft.ContainerRegistry/registries/repositories/content/read"
	DataContentWrite        = "Microsoft.ContainerRegistry/registries/repositories/content/write"
	DataContentDelete       = "Microsoft.ContainerRegistry/registries/repositories/content/delete"
	DataMetadataRead        = "Microsoft.ContainerRegistry/registries/repositories/metadata/read"
	DataMetadataWrite       = "Microsoft.ContainerRegistry/registries/repositories/metadata/write"
	DataMetadataDelete      = "Microsoft.ContainerRegistry/registries/repositories/metadata/delete"
	DataCatalogRead         = "Microsoft.ContainerRegistry/registries/catalog/read"
	DataTrustedCollectionsW = "Microsoft.ContainerRegistry/registries/trustedCollections/write"
)

const mcr = "Microsoft.ContainerRegistry/"

// BuiltInRoles returns a fresh copy of every built-in role the emulator knows.
func BuiltInRoles() []RoleDefinition {
	one := func(id, name, desc string, p Permission) RoleDefinition {
		return RoleDefinition{ID: id, Name: name, Description: desc, BuiltIn: true,
			Permissions: []Permission{p}, AssignableScopes: []string{"/"}}
	}
	acts := func(a ...string) []string { return a }
	reg := func(suffixes ...string) []string {
		out := make([]string, len(suffixes))
		for i, s := range suffixes {
			out[i] = mcr + "registries/" + s
		}
		return out
	}
	repoRead := []string{DataMetadataRead, DataContentRead}
	repoWrite := append(append([]string{}, repoRead...), DataMetadataWrite, DataContentWrite)
	repoContrib := append(append([]string{}, repoWrite...), DataMetadataDelete, DataContentDelete)
	return []RoleDefinition{
		one(RoleOwner, "Owner", "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
			Permission{Actions: acts("*")}),
		one(RoleContributor, "Contributor", "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
			Permission{Actions: acts("*"), NotActions: acts(
				"Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
				"Microsoft.Authorization/elevateAccess/Action", "Microsoft.Blueprint/blueprintAssignments/write",
				"Microsoft.Blueprint/blueprintAssignments/delete", "Microsoft.Compute/galleries/share/action",
				"Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete",
				"Microsoft.Resources/deploymentStacks/manageDenySetting/action",
				"Microsoft.Subscription/cancel/action", "Microsoft.Subscription/enable/action")}),
		one(RoleReader, "Reader", "View all resources, but does not allow you to make any changes.",
			Permission{Actions: acts("*/read")}),
		one(RoleUserAccessAdministrator, "User Access Administrator", "Lets you manage user access to Azure resources.",
			Permission{Actions: acts("*/read", "Microsoft.Authorization/*", "Microsoft.Support/*")}),
		one(RoleAcrPull, "AcrPull", "acr pull", Permission{Actions: acts(ActionPullRead)}),
		one(RoleAcrPush, "AcrPush", "acr push", Permission{Actions: acts(ActionPullRead, ActionPushWrite)}),
		one(RoleAcrDelete, "AcrDelete", "acr delete", Permission{Actions: acts(ActionArtifactsDelete)}),
		one(RoleAcrImageSigner, "AcrImageSigner", "acr image signer",
			Permission{Actions: acts(ActionSignWrite), DataActions: acts(DataTrustedCollectionsW)}),
		one(RoleAcrQuarantineReader, "AcrQuarantineReader", "acr quarantine data reader",
			Permission{Actions: reg("quarantine/read"), DataActions: reg("quarantinedArtifacts/read")}),
		one(RoleAcrQuarantineWriter, "AcrQuarantineWriter", "acr quarantine data writer",
			Permission{Actions: reg("quarantine/read", "quarantine/write"),
				DataActions: reg("quarantinedArtifacts/read", "quarantinedArtifacts/write")}),
		one(RoleRepositoryReader, "Container Registry Repository Reader",
			"Allows for read access to Azure Container Registry repositories, but excluding catalog listing.",
			Permission{DataActions: repoRead}),
		one(RoleRepositoryWriter, "Container Registry Repository Writer",
			"Allows for read and write access to Azure Container Registry repositories, but excluding catalog listing.",
			Permission{DataActions: repoWrite}),
		one(RoleRepositoryContributor, "Container Registry Repository Contributor",
			"Allows for read, write, and delete access to Azure Container Registry repositories, but excluding catalog listing.",
			Permission{DataActions: repoContrib}),
		one(RoleCatalogLister, "Container Registry Repository Catalog Lister",
			"Allows for listing all repositories in an Azure Container Registry.",
			Permission{DataActions: acts(DataCatalogRead)}),
		one(RoleDataImporterAndReader, "Container Registry Data Importer and Data Reader",
			"Allows for the ability to import images into a registry through the registry import operation, and read access to repositories.",
			Permission{Actions: reg("importImage/action", "read", "pull/read"),
				DataActions: acts(DataContentRead, DataMetadataRead, DataCatalogRead)}),
		one(RoleConfigurationReader, "Container Registry Configuration Reader and Data Access Configuration Reader",
			"Provides permissions to view Azure Container Registry configuration, without permissions to view or modify data.",
			Permission{Actions: append(reg("operationStatuses/read", "read", "privateEndpointConnections/read",
				"listCredentials/action", "tokens/read", "tokens/operationStatuses/read", "scopeMaps/read",
				"scopeMaps/operationStatuses/read", "webhooks/read", "webhooks/getCallbackConfig/action",
				"webhooks/listEvents/action", "webhooks/operationStatuses/read", "replications/read",
				"replications/operationStatuses/read", "connectedRegistries/read"), "Microsoft.Insights/AlertRules/*")}),
		one(RoleContributorAndDataAccess, "Container Registry Contributor and Data Access Configuration Administrator",
			"Provides permissions to create, list, and update Azure Container Registry, without permissions to view or modify data.",
			Permission{Actions: append(reg("read", "write", "delete", "listCredentials/action", "regenerateCredential/action",
				"generateCredentials/action", "replications/*", "privateEndpointConnections/*", "tokens/*", "scopeMaps/*",
				"connectedRegistries/*", "webhooks/*", "operationStatuses/read"),
				"Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Resources/deployments/*",
				"Microsoft.Authorization/*/read", mcr+"locations/operationResults/read")}),
		one(RoleTasksContributor, "Container Registry Tasks Contributor",
			"Provides permissions to manage Azure Container Registry tasks; task management can be used for full registry data plane permissions.",
			Permission{Actions: append(reg("agentpools/*", "tasks/*", "scheduleRun/action", "listBuildSourceUploadUrl/action",
				"runs/*", "taskruns/*", "read"), "Microsoft.Resources/deployments/*",
				"Microsoft.Resources/subscriptions/resourceGroups/read")}),
		one(RoleTransferPipelineContrib, "Container Registry Transfer Pipeline Contributor",
			"Provides permissions to manage Azure Container Registry transfer pipelines.",
			Permission{Actions: reg("exportPipelines/*", "importPipelines/*", "pipelineRuns/*")}),
		one(RoleCacheRuleAdministrator, "Container Registry Cache Rule Administrator",
			"Provides permissions to manage Azure Container Registry cache rules.",
			Permission{Actions: reg("cacheRules/read", "cacheRules/write", "cacheRules/delete", "cacheRules/operationStatuses/read")}),
		one(RoleCacheRuleReader, "Container Registry Cache Rule Reader",
			"Provides permissions to read Azure Container Registry cache rules.", Permission{Actions: reg("cacheRules/read")}),
		one(RoleCredentialSetAdministrato, "Container Registry Credential Set Administrator",
			"Provides permissions to manage Azure Container Registry credential sets.",
			Permission{Actions: reg("credentialSets/read", "credentialSets/write", "credentialSets/delete",
				"credentialSets/operationStatuses/read")}),
		one(RoleCredentialSetReader, "Container Registry Credential Set Reader",
			"Provides permissions to read Azure Container Registry credential sets.",
			Permission{Actions: reg("credentialSets/read")}),
	}
}

// SupportsConditions reports whether ACR accepts an ABAC condition on an assignment of this role: the three
// Container Registry Repository roles, and custom roles whose only data actions are repository actions.
func (r *RoleDefinition) SupportsConditions() bool {
	if r.BuiltIn {
		switch strings.ToLower(r.ID) {
		case RoleRepositoryReader, RoleRepositoryWriter, RoleRepositoryContributor:
			return true
		}
		return false
	}
	for _, p := range r.Permissions {
		for _, a := range p.DataActions {
			if !condition.MatchAction(mcr+"registries/repositories/*", a) {
				return false
			}
		}
	}
	return r.HasDataActions()
}
