package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// credentialWarning is az's CREDENTIAL_WARNING.
const credentialWarning = "The output includes credentials that you must protect. Be sure that you do not include these credentials in your code or check the credentials into your source control. For more information, see https://aka.ms/azadsp-cli"

// RBACRequest is `az ad sp create-for-rbac`.
type RBACRequest struct {
	DisplayName string
	Years       int
	Role        string
	Scopes      []string
}

// RBACResult is what `az ad sp create-for-rbac` prints.
type RBACResult struct {
	AppID       string `json:"appId"`
	DisplayName string `json:"displayName"`
	Password    string `json:"password"`
	Tenant      string `json:"tenant"`
}

// CreateForRBAC follows az's create_service_principal_for_rbac: an application (patched when one of that
// display name exists), its passwords replaced by a new one, its service principal (reused when one of
// that display name exists), then a role assignment at each scope.
func (c *Client) CreateForRBAC(ctx context.Context, req RBACRequest, warnf func(string, ...any)) (*RBACResult, error) {
	now := c.now().UTC()
	name := req.DisplayName
	var existingSPs []Object
	if name == "" {
		name = "azure-cli-" + now.Format("2006-01-02-15-04-05")
	} else {
		var err error
		if existingSPs, err = c.GraphList(ctx, "/servicePrincipals", "displayName eq '"+ODataEscape(name)+"'"); err != nil {
			return nil, err
		}
	}
	years := req.Years
	if years <= 0 {
		years = 1
	}
	app, err := c.ensureApplication(ctx, name, warnf)
	if err != nil {
		return nil, err
	}
	appID, appObjectID := Str(app, "appId"), Str(app, "id")
	creds, _ := app["passwordCredentials"].([]any)
	for _, cr := range creds {
		if _, err := c.GraphPost(ctx, "/applications/"+url.PathEscape(appObjectID)+"/removePassword",
			map[string]any{"keyId": Str(asObject(cr), "keyId")}); err != nil {
			return nil, err
		}
	}
	pw, err := c.GraphPost(ctx, "/applications/"+url.PathEscape(appObjectID)+"/addPassword", map[string]any{
		"passwordCredential": map[string]any{"displayName": "rbac", "startDateTime": now.Format("2006-01-02T15:04:05Z"),
			"endDateTime": now.AddDate(years, 0, 0).Format("2006-01-02T15:04:05Z")}})
	if err != nil {
		return nil, err
	}
	var sp Object
	if len(existingSPs) > 0 {
		sp = existingSPs[0]
	} else if sp, err = c.GraphPost(ctx, "/servicePrincipals", map[string]any{"appId": appID, "accountEnabled": true}); err != nil {
		return nil, err
	}
	if req.Role != "" {
		for _, scope := range req.Scopes {
			warnf("Creating '%s' role assignment under scope '%s'", req.Role, scope)
			roleID, err := c.ResolveRole(ctx, req.Role, scope)
			if err != nil {
				return nil, err
			}
			_, exists, err := c.PutAssignment(ctx, AssignmentRequest{Scope: scope, RoleDefinitionID: roleID,
				PrincipalID: Str(sp, "id"), PrincipalType: "ServicePrincipal"})
			if exists {
				warnf("  Role assignment already exists.\n")
				continue
			}
			if err != nil {
				warnf("  Role assignment creation failed.\n")
				return nil, err
			}
		}
	}
	warnf("%s", credentialWarning)
	tenant, err := c.TenantID()
	if err != nil {
		return nil, err
	}
	return &RBACResult{AppID: appID, DisplayName: name, Password: Str(pw, "secretText"), Tenant: tenant}, nil
}

// ensureApplication is az's create_application for create-for-rbac: the one application of that exact
// display name, patched and read back, or a new one.
func (c *Client) ensureApplication(ctx context.Context, name string, warnf func(string, ...any)) (Object, error) {
	apps, err := c.GraphList(ctx, "/applications", "startswith(displayName,'"+ODataEscape(name)+"')")
	if err != nil {
		return nil, err
	}
	var same []Object
	for _, a := range apps {
		if Str(a, "displayName") == name {
			same = append(same, a)
		}
	}
	switch len(same) {
	case 0:
		return c.GraphPost(ctx, "/applications", map[string]any{"displayName": name, "keyCredentials": []any{}})
	case 1:
		id := Str(same[0], "id")
		warnf("Found an existing application instance: (id) %s. We will patch it.", id)
		if _, err := c.Graph(ctx, http.MethodPatch, "/applications/"+url.PathEscape(id), nil, map[string]any{"displayName": name}); err != nil {
			return nil, err
		}
		return c.GraphGet(ctx, "/applications/"+url.PathEscape(id))
	}
	var ids []string
	for _, a := range same {
		ids = append(ids, Str(a, "id"))
	}
	return nil, fmt.Errorf("More than one application have the same display name '%s': (id) %s, please remove them first.", name, strings.Join(ids, ", "))
}
