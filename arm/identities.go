package arm

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/acremu/acremu/authz"
	"github.com/acremu/acremu/storage"
)

// Managed identity api-versions.
var identityAPIVersions = []string{"2018-11-30", "2021-09-30-preview", "2022-01-31-preview", "2023-01-31", "2023-07-31-preview", "2024-11-30"}

// Control-plane Actions of user-assigned managed identities.
const (
	actionIdentityRead   = "Microsoft.ManagedIdentity/userAssignedIdentities/read"
	actionIdentityWrite  = "Microsoft.ManagedIdentity/userAssignedIdentities/write"
	actionIdentityDelete = "Microsoft.ManagedIdentity/userAssignedIdentities/delete"
	identityType         = "Microsoft.ManagedIdentity/userAssignedIdentities"
)

// IdentityResource is the ARM representation of a user-assigned managed identity.
type IdentityResource struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags,omitempty"`
	Properties struct {
		TenantID    string `json:"tenantId"`
		PrincipalID string `json:"principalId"`
		ClientID    string `json:"clientId"`
	} `json:"properties"`
}

func identityID(sub, rg, name string) string {
	return storage.ResourceGroupID(sub, rg) + "/providers/" + identityType + "/" + name
}

func identityResource(st *storage.State, p *storage.Principal) IdentityResource {
	var r IdentityResource
	r.ID, r.Name, r.Type = identityID(st.Directory.SubscriptionID, p.ResourceGroup, p.DisplayName), p.DisplayName, identityType
	r.Location = "eastus"
	if g, ok := st.ResourceGroup(p.ResourceGroup); ok {
		r.Location = g.Location
	}
	r.Properties.TenantID, r.Properties.PrincipalID, r.Properties.ClientID = st.Directory.TenantID, p.ObjectID, p.AppID
	return r
}

// findIdentity returns the managed identity of that name in the group.
func findIdentity(st *storage.State, rg, name string) (*storage.Principal, bool) {
	for _, p := range st.ByDisplayName(name) {
		if p.Kind == storage.KindManagedIdentity && strings.EqualFold(p.ResourceGroup, rg) {
			return p, true
		}
	}
	return nil, false
}

// identities serves user-assigned managed identities: list (subscription or group), PUT/GET/DELETE. The
// identity is a principal of the directory (object id = principalId, app id = clientId).
func (s *Server) identities(req *request, p armPath) error {
	if err := req.checkAPIVersion(identityType, identityAPIVersions); err != nil {
		return err
	}
	sub := req.st.Directory.SubscriptionID
	if p.resourceGroup != "" {
		if _, ok := req.st.ResourceGroup(p.resourceGroup); !ok {
			return errResourceGroupNotFound(p.resourceGroup)
		}
	}
	if p.kind == pathIdentities {
		out := list[IdentityResource]{Value: []IdentityResource{}}
		for _, pr := range req.st.Principals() {
			if pr.Kind != storage.KindManagedIdentity || p.resourceGroup != "" && !strings.EqualFold(pr.ResourceGroup, p.resourceGroup) {
				continue
			}
			id := identityID(sub, pr.ResourceGroup, pr.DisplayName)
			if authz.DecideAction(req.st.Authz, req.who.p.AuthzPrincipal(), id, actionIdentityRead).Allowed {
				out.Value = append(out.Value, identityResource(req.st, pr))
			}
		}
		return req.reply(http.StatusOK, out)
	}
	id := identityID(sub, p.resourceGroup, p.identity)
	existing, exists := findIdentity(req.st, p.resourceGroup, p.identity)
	switch req.r.Method {
	case http.MethodGet:
		if err := req.authorize(id, actionIdentityRead); err != nil {
			return err
		}
		if !exists {
			return errResourceNotFound(identityType, p.identity, p.resourceGroup)
		}
		return req.reply(http.StatusOK, identityResource(req.st, existing))
	case http.MethodPut:
		if err := req.authorize(id, actionIdentityWrite); err != nil {
			return err
		}
		if len(p.identity) < 3 || len(p.identity) > 128 {
			return errBadRequest("InvalidResourceName", fmt.Sprintf("Resource name '%s' is invalid: 3 to 128 characters.", p.identity))
		}
		var body IdentityResource
		if err := req.decode(&body); err != nil {
			return err
		}
		if exists {
			return req.reply(http.StatusOK, identityResource(req.st, existing))
		}
		pr := storage.Principal{ObjectID: storage.DeterministicGUID("mi", id, req.now.String()), Kind: storage.KindManagedIdentity,
			DisplayName: p.identity, AppID: storage.DeterministicGUID("mi-client", id, req.now.String()), ResourceGroup: p.resourceGroup}
		if err := s.db.Update(func(tx *storage.Tx) error { return tx.PutPrincipal(pr) }); err != nil {
			return err
		}
		saved, _ := s.db.State().Principal(pr.ObjectID)
		return req.reply(http.StatusCreated, identityResource(s.db.State(), saved))
	case http.MethodDelete:
		if err := req.authorize(id, actionIdentityDelete); err != nil {
			return err
		}
		if !exists {
			req.w.WriteHeader(http.StatusNoContent)
			return nil
		}
		if err := s.db.Update(func(tx *storage.Tx) error { return tx.DeletePrincipal(existing.ObjectID) }); err != nil {
			return err
		}
		req.w.WriteHeader(http.StatusOK)
		return nil
	}
	return errMethodNotAllowed(req.r.Method)
}
