package arm

import (
	"net/http"
	"strings"

	"github.com/acremu/acremu/authz"
	"github.com/acremu/acremu/storage"
)

// Resource Manager api-versions for subscriptions and resource groups.
var resourcesAPIVersions = []string{"2016-06-01", "2019-06-01", "2019-11-01", "2020-01-01", "2020-06-01", "2021-01-01",
	"2021-04-01", "2022-01-01", "2022-09-01", "2022-12-01", "2023-07-01", "2024-03-01", "2024-07-01", "2024-11-01", "2025-04-01"}

// Control-plane Actions of resource groups.
const (
	actionGroupRead   = "Microsoft.Resources/subscriptions/resourceGroups/read"
	actionGroupWrite  = "Microsoft.Resources/subscriptions/resourceGroups/write"
	actionGroupDelete = "Microsoft.Resources/subscriptions/resourceGroups/delete"
	groupType         = "Microsoft.Resources/resourceGroups"
)

// ResourceGroupResource is the ARM representation of a resource group.
type ResourceGroupResource struct {
	ID         string            `json:"id,omitempty"`
	Name       string            `json:"name,omitempty"`
	Type       string            `json:"type,omitempty"`
	Location   string            `json:"location"`
	Tags       map[string]string `json:"tags,omitempty"`
	ManagedBy  *string           `json:"managedBy"`
	Properties map[string]string `json:"properties,omitempty"`
}

func groupResource(g *storage.ResourceGroup) ResourceGroupResource {
	return ResourceGroupResource{ID: g.ID, Name: g.Name, Type: groupType, Location: g.Location, Tags: g.Tags,
		Properties: map[string]string{"provisioningState": "Succeeded"}}
}

// subscriptions serves GET /subscriptions and GET /subscriptions/{id}.
func (s *Server) subscriptions(req *request, p armPath) error {
	if req.r.Method != http.MethodGet {
		return errMethodNotAllowed(req.r.Method)
	}
	d := req.st.Directory
	sub := map[string]any{"id": storage.SubscriptionID(d.SubscriptionID), "subscriptionId": d.SubscriptionID,
		"tenantId": d.TenantID, "displayName": d.SubscriptionName, "state": "Enabled",
		"subscriptionPolicies": map[string]string{"locationPlacementId": "Public_2014-09-01", "quotaId": "PayAsYouGo_2014-09-01", "spendingLimit": "Off"},
		"authorizationSource":  "RoleBased"}
	if p.subscription == "" {
		return req.reply(http.StatusOK, list[map[string]any]{Value: []map[string]any{sub}})
	}
	return req.reply(http.StatusOK, sub)
}

// resourceGroups serves resource groups: list, and PUT/GET/PATCH/DELETE of one. Deleting a group deletes
// the registries in it, in the same transaction.
func (s *Server) resourceGroups(req *request, p armPath) error {
	if err := req.checkAPIVersion(groupType, resourcesAPIVersions); err != nil {
		return err
	}
	sub := req.st.Directory.SubscriptionID
	if p.kind == pathResourceGroups {
		if req.r.Method != http.MethodGet {
			return errMethodNotAllowed(req.r.Method)
		}
		out := list[ResourceGroupResource]{Value: []ResourceGroupResource{}}
		for _, g := range req.st.ResourceGroups() {
			if authz.DecideAction(req.st.Authz, req.who.p.AuthzPrincipal(), g.ID, actionGroupRead).Allowed {
				out.Value = append(out.Value, groupResource(g))
			}
		}
		return req.reply(http.StatusOK, out)
	}
	id := storage.ResourceGroupID(sub, p.resourceGroup)
	existing, exists := req.st.ResourceGroup(p.resourceGroup)
	switch req.r.Method {
	case http.MethodGet, http.MethodHead:
		if err := req.authorize(id, actionGroupRead); err != nil {
			return err
		}
		if !exists {
			return errResourceGroupNotFound(p.resourceGroup)
		}
		if req.r.Method == http.MethodHead {
			req.w.WriteHeader(http.StatusNoContent)
			return nil
		}
		return req.reply(http.StatusOK, groupResource(existing))
	case http.MethodPut, http.MethodPatch:
		if err := req.authorize(id, actionGroupWrite); err != nil {
			return err
		}
		if !storage.ValidResourceGroupName(p.resourceGroup) {
			return errBadRequest("InvalidResourceGroupName", "Resource group names only allow alphanumeric characters, periods, underscores, hyphens and parenthesis and cannot end in a period.")
		}
		var body ResourceGroupResource
		if err := req.decode(&body); err != nil {
			return err
		}
		g := storage.ResourceGroup{ID: id, Name: p.resourceGroup, Location: body.Location, Tags: body.Tags}
		if exists {
			g.ID, g.Name, g.Created = existing.ID, existing.Name, existing.Created
			if g.Location == "" {
				g.Location = existing.Location
			}
			if body.Tags == nil {
				g.Tags = existing.Tags
			}
		} else if req.r.Method == http.MethodPatch {
			return errResourceGroupNotFound(p.resourceGroup)
		}
		if g.Location == "" {
			return errBadRequest("LocationRequired", "The location property is required for this definition.")
		}
		if err := s.db.Update(func(tx *storage.Tx) error { return tx.PutResourceGroup(g) }); err != nil {
			return err
		}
		saved, _ := s.db.State().ResourceGroup(g.Name)
		status := http.StatusCreated
		if exists {
			status = http.StatusOK
		}
		return req.reply(status, groupResource(saved))
	case http.MethodDelete:
		if err := req.authorize(id, actionGroupDelete); err != nil {
			return err
		}
		if !exists {
			return errResourceGroupNotFound(p.resourceGroup)
		}
		err := s.db.Update(func(tx *storage.Tx) error {
			for _, r := range req.st.Registries() {
				if strings.EqualFold(r.ResourceGroup, existing.Name) {
					if err := tx.DeleteRegistry(r.Name); err != nil {
						return err
					}
				}
			}
			return tx.DeleteResourceGroup(existing.Name)
		})
		if err != nil {
			return err
		}
		req.w.WriteHeader(http.StatusOK)
		return nil
	}
	return errMethodNotAllowed(req.r.Method)
}
