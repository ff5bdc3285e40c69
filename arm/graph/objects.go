package graph

import (
	"regexp"
	"strings"
	"time"

	"github.com/acremu/acremu/storage"
)

// @odata.type values of directory objects.
const (
	typeUser             = "#microsoft.graph.user"
	typeGroup            = "#microsoft.graph.group"
	typeServicePrincipal = "#microsoft.graph.servicePrincipal"
	typeApplication      = "#microsoft.graph.application"
)

// Entity sets, as @odata.context names them.
const (
	setUsers             = "users"
	setGroups            = "groups"
	setServicePrincipals = "servicePrincipals"
	setApplications      = "applications"
	setDirectoryObjects  = "directoryObjects"
)

// Service principal types of Graph.
const (
	spTypeApplication     = "Application"
	spTypeManagedIdentity = "ManagedIdentity"
	signInAudience        = "AzureADMyOrg"
)

// dateTime formats Graph's timestamps.
func dateTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// userObject renders a user (Graph's default property set).
func userObject(p *storage.Principal) map[string]any {
	return map[string]any{"id": p.ObjectID, "businessPhones": []any{}, "displayName": p.DisplayName, "givenName": nil,
		"jobTitle": nil, "mail": nil, "mobilePhone": nil, "officeLocation": nil, "preferredLanguage": nil, "surname": nil,
		"userPrincipalName": p.UPN}
}

func localPart(upn string) string {
	l, _, _ := strings.Cut(upn, "@")
	return l
}

// groupObject renders a security group. The store keeps no mail nickname or description: the nickname is
// derived from the display name.
func groupObject(p *storage.Principal) map[string]any {
	return map[string]any{"id": p.ObjectID, "displayName": p.DisplayName, "description": nil, "mailNickname": nickname(p.DisplayName),
		"mail": nil, "mailEnabled": false, "securityEnabled": true, "groupTypes": []any{}, "createdDateTime": dateTime(p.Created),
		"deletedDateTime": nil, "visibility": nil, "securityIdentifier": nil, "proxyAddresses": []any{}}
}

var nonNickname = regexp.MustCompile(`[^A-Za-z0-9._-]`)

func nickname(display string) string { return nonNickname.ReplaceAllString(display, "") }

// servicePrincipalObject renders a service principal or a managed identity's service principal.
func servicePrincipalObject(st *storage.State, p *storage.Principal) map[string]any {
	o := map[string]any{"id": p.ObjectID, "accountEnabled": true, "appId": p.AppID, "appDisplayName": p.DisplayName,
		"appOwnerOrganizationId": st.Directory.TenantID, "displayName": p.DisplayName, "servicePrincipalNames": []any{p.AppID},
		"servicePrincipalType": spTypeApplication, "signInAudience": signInAudience, "alternativeNames": []any{}, "tags": []any{},
		"createdDateTime": dateTime(p.Created), "deletedDateTime": nil, "appRoles": []any{}, "oauth2PermissionScopes": []any{},
		"keyCredentials": []any{}, "passwordCredentials": passwordCredentials(p), "replyUrls": []any{}}
	if p.Kind == storage.KindManagedIdentity {
		o["servicePrincipalType"] = spTypeManagedIdentity
		o["appOwnerOrganizationId"] = nil
		o["signInAudience"] = nil
		o["passwordCredentials"] = []any{}
		o["alternativeNames"] = []any{"isExplicit=True", storage.ResourceGroupID(st.Directory.SubscriptionID, p.ResourceGroup) +
			"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/" + p.DisplayName}
	}
	return o
}

// applicationID derives an application's object id from its service principal's.
func applicationID(p *storage.Principal) string {
	return storage.DeterministicGUID("graph-application", p.ObjectID)
}

// applicationObject renders the application registration of a service principal.
func applicationObject(st *storage.State, p *storage.Principal) map[string]any {
	return map[string]any{"id": applicationID(p), "appId": p.AppID, "displayName": p.DisplayName,
		"createdDateTime": dateTime(p.Created), "deletedDateTime": nil, "identifierUris": []any{}, "keyCredentials": []any{},
		"passwordCredentials": passwordCredentials(p), "publisherDomain": st.Directory.Domain, "signInAudience": signInAudience,
		"requiredResourceAccess": []any{}, "tags": []any{}, "appRoles": []any{}, "optionalClaims": nil,
		"web":          map[string]any{"homePageUrl": nil, "logoutUrl": nil, "redirectUris": []any{}},
		"api":          map[string]any{"acceptMappedClaims": nil, "knownClientApplications": []any{}, "oauth2PermissionScopes": []any{}, "preAuthorizedApplications": []any{}, "requestedAccessTokenVersion": nil},
		"publicClient": map[string]any{"redirectUris": []any{}}}
}

// passwordCredentials lists the one client secret a principal may hold (the store keeps only its hash).
func passwordCredentials(p *storage.Principal) []any {
	if p.SecretHash == "" {
		return []any{}
	}
	return []any{map[string]any{"keyId": passwordKeyID(p), "displayName": "rbac", "hint": nil, "customKeyIdentifier": nil,
		"secretText": nil, "startDateTime": dateTime(p.Created), "endDateTime": dateTime(p.Created.AddDate(1, 0, 0))}}
}

// passwordKeyID identifies a principal's current secret.
func passwordKeyID(p *storage.Principal) string {
	return storage.DeterministicGUID("graph-password", p.ObjectID, p.SecretHash)
}

// directoryObject renders any principal with its @odata.type, as collections of directoryObjects do.
func directoryObject(st *storage.State, p *storage.Principal) map[string]any {
	var o map[string]any
	switch p.Kind {
	case storage.KindUser:
		o = userObject(p)
		o["@odata.type"] = typeUser
	case storage.KindGroup:
		o = groupObject(p)
		o["@odata.type"] = typeGroup
	default:
		o = servicePrincipalObject(st, p)
		o["@odata.type"] = typeServicePrincipal
	}
	return o
}

// odataType returns the @odata.type short name ("user", "group", "servicePrincipal") of a principal.
func odataType(p *storage.Principal) string {
	switch p.Kind {
	case storage.KindUser:
		return "user"
	case storage.KindGroup:
		return "group"
	}
	return "servicePrincipal"
}

// isServicePrincipal reports whether a principal is listed under /servicePrincipals.
func isServicePrincipal(p *storage.Principal) bool {
	return p.Kind == storage.KindServicePrincipal || p.Kind == storage.KindManagedIdentity
}
