package arm

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/acremu/acremu/authz"
	"github.com/acremu/acremu/storage"
)

// Registry api-versions this server answers: the stable and preview versions the Azure SDK for Go and the
// az CLI send (spec policy-ca-arm.md §4.1). roleAssignmentMode exists from 2025-03-01-preview.
var registryAPIVersions = []string{"2019-05-01", "2021-09-01", "2022-12-01", "2023-07-01", "2025-04-01", "2025-11-01",
	"2023-01-01-preview", "2023-06-01-preview", "2023-08-01-preview", "2023-11-01-preview", "2024-11-01-preview",
	"2025-03-01-preview", "2025-05-01-preview", "2025-06-01-preview"}

// Control-plane Actions of the registry resource.
const (
	actionRegistryRead         = "Microsoft.ContainerRegistry/registries/read"
	actionRegistryWrite        = "Microsoft.ContainerRegistry/registries/write"
	actionRegistryDelete       = "Microsoft.ContainerRegistry/registries/delete"
	actionListCredentials      = "Microsoft.ContainerRegistry/registries/listCredentials/action"
	actionRegenerateCredential = "Microsoft.ContainerRegistry/registries/regenerateCredential/action"
	registryType               = "Microsoft.ContainerRegistry/registries"
	loginServerSuffix          = ".azurecr.io"
)

// RegistrySKU is the sku of a registry.
type RegistrySKU struct {
	Name string `json:"name"`
	Tier string `json:"tier,omitempty"`
}

// RegistryProperties is the properties bag of a registry (spec policy-ca-arm.md §4.1).
type RegistryProperties struct {
	LoginServer                string         `json:"loginServer,omitempty"`
	CreationDate               *time.Time     `json:"creationDate,omitempty"`
	ProvisioningState          string         `json:"provisioningState,omitempty"`
	AdminUserEnabled           *bool          `json:"adminUserEnabled,omitempty"`
	NetworkRuleSet             map[string]any `json:"networkRuleSet,omitempty"`
	Policies                   map[string]any `json:"policies,omitempty"`
	Encryption                 map[string]any `json:"encryption,omitempty"`
	DataEndpointEnabled        *bool          `json:"dataEndpointEnabled,omitempty"`
	DataEndpointHostNames      []string       `json:"dataEndpointHostNames,omitempty"`
	PrivateEndpointConnections []any          `json:"privateEndpointConnections,omitempty"`
	PublicNetworkAccess        string         `json:"publicNetworkAccess,omitempty"`
	NetworkRuleBypassOptions   string         `json:"networkRuleBypassOptions,omitempty"`
	ZoneRedundancy             string         `json:"zoneRedundancy,omitempty"`
	AnonymousPullEnabled       *bool          `json:"anonymousPullEnabled,omitempty"`
	RoleAssignmentMode         string         `json:"roleAssignmentMode,omitempty"`
}

// RegistryResource is the ARM representation of a registry.
type RegistryResource struct {
	ID         string              `json:"id,omitempty"`
	Name       string              `json:"name,omitempty"`
	Type       string              `json:"type,omitempty"`
	Location   string              `json:"location,omitempty"`
	Tags       map[string]string   `json:"tags,omitempty"`
	SKU        *RegistrySKU        `json:"sku,omitempty"`
	SystemData map[string]any      `json:"systemData,omitempty"`
	Properties *RegistryProperties `json:"properties,omitempty"`
}

func ptr[T any](v T) *T { return &v }

// registryResource renders a stored registry. roleAssignmentMode and anonymousPullEnabled appear only in
// api-versions that have them.
func registryResource(r *storage.Registry, apiVersion string) RegistryResource {
	created := r.Created.UTC()
	props := &RegistryProperties{
		LoginServer: r.LoginServer, CreationDate: &created, ProvisioningState: "Succeeded",
		AdminUserEnabled: ptr(r.AdminUserEnabled),
		NetworkRuleSet:   map[string]any{"defaultAction": "Allow", "ipRules": []any{}},
		Policies: map[string]any{
			"quarantinePolicy":                 map[string]string{"status": "disabled"},
			"trustPolicy":                      map[string]string{"type": "Notary", "status": "disabled"},
			"retentionPolicy":                  map[string]any{"days": 7, "status": "disabled"},
			"exportPolicy":                     map[string]string{"status": "enabled"},
			"azureADAuthenticationAsArmPolicy": map[string]string{"status": "enabled"},
		},
		Encryption:          map[string]any{"status": "disabled"},
		DataEndpointEnabled: ptr(false), DataEndpointHostNames: []string{}, PrivateEndpointConnections: []any{},
		PublicNetworkAccess: orDefault(r.PublicNetworkAccess, "Enabled"), NetworkRuleBypassOptions: "AzureServices",
		ZoneRedundancy: "Disabled",
	}
	if hasModeProperty(apiVersion) {
		props.AnonymousPullEnabled = ptr(r.AnonymousPullEnabled)
		props.RoleAssignmentMode = r.Mode
	}
	return RegistryResource{ID: r.ID, Name: r.Name, Type: registryType, Location: r.Location, Tags: r.Tags,
		SKU: &RegistrySKU{Name: r.SKU, Tier: r.SKU}, Properties: props,
		SystemData: map[string]any{"createdAt": created, "lastModifiedAt": created}}
}

// hasModeProperty reports whether an api-version carries roleAssignmentMode and anonymousPullEnabled: the
// 2025-03-01-preview and later previews, and 2025-11-01 (not 2025-04-01).
func hasModeProperty(v string) bool {
	return v >= "2025-03-01-preview" && v != "2025-04-01" || v >= "2025-11-01"
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func (s *Server) registries(req *request, p armPath) error {
	if err := req.checkAPIVersion(registryType, registryAPIVersions); err != nil {
		return err
	}
	sub := req.st.Directory.SubscriptionID
	if p.kind == pathRegistries {
		if p.resourceGroup != "" {
			if _, ok := req.st.ResourceGroup(p.resourceGroup); !ok {
				return errResourceGroupNotFound(p.resourceGroup)
			}
		}
		if req.r.Method != http.MethodGet {
			return errMethodNotAllowed(req.r.Method)
		}
		out := list[RegistryResource]{Value: []RegistryResource{}}
		for _, r := range req.st.Registries() {
			inScope := p.resourceGroup == "" || strings.EqualFold(r.ResourceGroup, p.resourceGroup)
			if inScope && authz.DecideAction(req.st.Authz, req.who.p.AuthzPrincipal(), r.ID, actionRegistryRead).Allowed {
				out.Value = append(out.Value, registryResource(r, req.r.URL.Query().Get("api-version")))
			}
		}
		return req.reply(http.StatusOK, out)
	}
	id := storage.RegistryID(sub, p.resourceGroup, p.registry)
	if p.kind == pathRegistryAction {
		return s.registryAction(req, p, id)
	}
	switch req.r.Method {
	case http.MethodGet:
		if err := req.authorize(id, actionRegistryRead); err != nil {
			return err
		}
		r, err := lookupRegistry(req.st, p)
		if err != nil {
			return err
		}
		return req.reply(http.StatusOK, registryResource(r, req.r.URL.Query().Get("api-version")))
	case http.MethodPut, http.MethodPatch:
		if err := req.authorize(id, actionRegistryWrite); err != nil {
			return err
		}
		return s.writeRegistry(req, p, id)
	case http.MethodDelete:
		if err := req.authorize(id, actionRegistryDelete); err != nil {
			return err
		}
		if _, err := lookupRegistry(req.st, p); err != nil {
			var ae *Error
			if errors.As(err, &ae) && ae.Code == "ResourceNotFound" {
				req.w.WriteHeader(http.StatusNoContent)
				return nil
			}
			return err
		}
		if err := s.db.Update(func(tx *storage.Tx) error { return tx.DeleteRegistry(p.registry) }); err != nil {
			return err
		}
		req.w.WriteHeader(http.StatusOK)
		return nil
	}
	return errMethodNotAllowed(req.r.Method)
}

func lookupRegistry(st *storage.State, p armPath) (*storage.Registry, error) {
	if _, ok := st.ResourceGroup(p.resourceGroup); !ok {
		return nil, errResourceGroupNotFound(p.resourceGroup)
	}
	r, ok := st.Registry(p.registry)
	if !ok || !strings.EqualFold(r.ResourceGroup, p.resourceGroup) {
		return nil, errResourceNotFound(registryType, p.registry, p.resourceGroup)
	}
	return r, nil
}

// writeRegistry creates (PUT) or updates (PUT or PATCH) a registry in one transaction. A change of
// roleAssignmentMode moves the registry's mode epoch, refusing credentials issued under the old mode.
func (s *Server) writeRegistry(req *request, p armPath, id string) error {
	if !storage.ValidRegistryName(p.registry) {
		return errBadRequest("InvalidResourceName", fmt.Sprintf("Resource name '%s' is invalid. The name must contain only alphanumeric characters and be between 5 and 50 characters.", p.registry))
	}
	rg, ok := req.st.ResourceGroup(p.resourceGroup)
	if !ok {
		return errResourceGroupNotFound(p.resourceGroup)
	}
	var body RegistryResource
	if err := req.decode(&body); err != nil {
		return err
	}
	existing, exists := req.st.Registry(p.registry)
	if exists && !strings.EqualFold(existing.ResourceGroup, p.resourceGroup) {
		return &Error{Status: http.StatusConflict, Code: "AlreadyInUse", Message: fmt.Sprintf("The registry %s is already in use.", strings.ToLower(p.registry))}
	}
	if !exists && req.r.Method == http.MethodPatch {
		return errResourceNotFound(registryType, p.registry, p.resourceGroup)
	}
	var reg storage.Registry
	if exists {
		reg = *existing
	} else {
		if body.Location == "" && req.r.Method == http.MethodPut {
			body.Location = rg.Location
		}
		if body.SKU == nil {
			return errBadRequest("InvalidSku", "The 'sku' property is required to create a registry.")
		}
		reg = storage.Registry{ID: id, Name: p.registry, ResourceGroup: rg.Name, Location: body.Location,
			LoginServer: strings.ToLower(p.registry) + loginServerSuffix, Mode: authz.ModeRBACARM,
			AdminPasswords: [2]string{storage.DeterministicGUID("admin1", p.registry, req.now.String()),
				storage.DeterministicGUID("admin2", p.registry, req.now.String())}}
	}
	if body.SKU != nil {
		switch strings.ToLower(body.SKU.Name) {
		case "basic", "standard", "premium":
			reg.SKU = strings.ToUpper(body.SKU.Name[:1]) + strings.ToLower(body.SKU.Name[1:])
		default:
			return errBadRequest("InvalidSku", fmt.Sprintf("The sku '%s' is invalid. Allowed values: Basic, Standard, Premium.", body.SKU.Name))
		}
	}
	if body.Tags != nil {
		reg.Tags = body.Tags
	}
	if pr := body.Properties; pr != nil {
		if pr.AdminUserEnabled != nil {
			reg.AdminUserEnabled = *pr.AdminUserEnabled
		}
		if pr.AnonymousPullEnabled != nil {
			if *pr.AnonymousPullEnabled && reg.SKU == "Basic" {
				return errBadRequest("AnonymousPullNotSupported", "Anonymous pull is only supported on Standard and Premium registries.")
			}
			reg.AnonymousPullEnabled = *pr.AnonymousPullEnabled
		}
		if pr.PublicNetworkAccess != "" {
			reg.PublicNetworkAccess = pr.PublicNetworkAccess
		}
		if pr.RoleAssignmentMode != "" {
			if !hasModeProperty(req.r.URL.Query().Get("api-version")) {
				return errBadRequest("InvalidRequestContent", "The property 'roleAssignmentMode' is not supported by api-version '"+req.r.URL.Query().Get("api-version")+"'.")
			}
			m, err := authz.ParseMode(pr.RoleAssignmentMode)
			if err != nil || (pr.RoleAssignmentMode != authz.ModeRBACARM && pr.RoleAssignmentMode != authz.ModeABACARM) {
				return errBadRequest("InvalidRoleAssignmentMode", fmt.Sprintf("The value '%s' is not valid for 'roleAssignmentMode'. Allowed values: %s, %s.", pr.RoleAssignmentMode, authz.ModeRBACARM, authz.ModeABACARM))
			}
			if m.String() != reg.Mode {
				reg.Mode = m.String()
				reg.ModeEpoch++
			}
		}
	}
	err := s.db.Update(func(tx *storage.Tx) error { return tx.PutRegistry(reg) })
	if err != nil {
		return err
	}
	st := s.db.State()
	saved, _ := st.Registry(reg.Name)
	status := http.StatusOK
	if !exists {
		status = http.StatusCreated
	}
	s.log.Info("registry written", "registry", reg.Name, "mode", reg.Mode, "epoch", reg.ModeEpoch, "by", req.who.name)
	return req.reply(status, registryResource(saved, req.r.URL.Query().Get("api-version")))
}

// registryAction serves POST listCredentials and regenerateCredential (the admin user).
func (s *Server) registryAction(req *request, p armPath, id string) error {
	if req.r.Method != http.MethodPost {
		return errMethodNotAllowed(req.r.Method)
	}
	switch strings.ToLower(p.action) {
	case "listcredentials":
		if err := req.authorize(id, actionListCredentials); err != nil {
			return err
		}
		r, err := lookupRegistry(req.st, p)
		if err != nil {
			return err
		}
		return credentials(req, r)
	case "regeneratecredential":
		if err := req.authorize(id, actionRegenerateCredential); err != nil {
			return err
		}
		r, err := lookupRegistry(req.st, p)
		if err != nil {
			return err
		}
		var body struct {
			Name string `json:"name"`
		}
		if err := req.decode(&body); err != nil {
			return err
		}
		reg := *r
		switch body.Name {
		case "password":
			reg.AdminPasswords[0] = storage.DeterministicGUID("admin1", reg.Name, req.now.String())
		case "password2":
			reg.AdminPasswords[1] = storage.DeterministicGUID("admin2", reg.Name, req.now.String())
		default:
			return errBadRequest("InvalidPasswordName", "The password name must be 'password' or 'password2'.")
		}
		if err := s.db.Update(func(tx *storage.Tx) error { return tx.PutRegistry(reg) }); err != nil {
			return err
		}
		return credentials(req, &reg)
	}
	return errNotFoundPath(req.r.URL.Path)
}

func credentials(req *request, r *storage.Registry) error {
	if !r.AdminUserEnabled {
		return errBadRequest("AdminUserDisabled", fmt.Sprintf("Admin user is disabled for registry '%s'.", r.Name))
	}
	return req.reply(http.StatusOK, map[string]any{"username": r.Name, "passwords": []map[string]string{
		{"name": "password", "value": r.AdminPasswords[0]}, {"name": "password2", "value": r.AdminPasswords[1]}}})
}
