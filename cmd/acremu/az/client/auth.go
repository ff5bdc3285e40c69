package client

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Entra scopes az requests: the resource id followed by "/.default", which doubles the slash of resource
// ids ending in one (azure-cli's resource_to_scopes).
const (
	ScopeARM   = "https://management.core.windows.net//.default"
	ScopeGraph = "https://graph.microsoft.com//.default"
)

// Entra wire constants (spec acr-dataplane-auth.md §1.5; the token endpoint is Entra's v2.0 one).
const (
	// azureCLIClientID is the public client id az signs users in with.
	azureCLIClientID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
	// tenantOrganizations is the authority az uses for a user who names no tenant.
	tenantOrganizations = "organizations"
	// tokenSkew renews a cached token this long before it expires.
	tokenSkew = 5 * time.Minute
	// subscriptionsAPIVersion is the api-version az lists subscriptions with.
	subscriptionsAPIVersion = "2022-12-01"
	// environmentName is az's name for the public cloud.
	environmentName = "AzureCloud"
)

// Account types, as az names them in the profile.
const (
	AccountUser             = "user"
	AccountServicePrincipal = "servicePrincipal"
)

// LoginRequest is a sign-in with a password (user) or a client secret (service principal).
type LoginRequest struct {
	Username         string
	Password         string
	Tenant           string
	ServicePrincipal bool
}

// Login signs in, lists the account's subscriptions and saves the login state (replacing any earlier one).
func (c *Client) Login(ctx context.Context, req LoginRequest) ([]Subscription, error) {
	cred := &Credential{Type: AccountUser, Username: req.Username, Secret: req.Password, Tenant: req.Tenant}
	if req.ServicePrincipal {
		cred.Type = AccountServicePrincipal
	}
	if cred.Tenant == "" {
		cred.Tenant = tenantOrganizations
	}
	tok, err := c.requestToken(ctx, cred, ScopeARM)
	if err != nil {
		return nil, err
	}
	claims, err := parseClaims(tok.AccessToken)
	if err != nil {
		return nil, err
	}
	cred.Tenant = claims.TenantID
	resp, err := c.do(ctx, request{method: http.MethodGet, url: c.endpoint.String() + "/subscriptions?api-version=" + subscriptionsAPIVersion,
		auth: "Bearer " + tok.AccessToken})
	if err != nil {
		return nil, err
	}
	if resp.status != http.StatusOK {
		return nil, armError(resp)
	}
	v, err := decodeJSON(resp.body)
	if err != nil {
		return nil, err
	}
	var subs []Subscription
	for i, s := range Values(v) {
		subs = append(subs, Subscription{ID: Str(s, "subscriptionId"), Name: Str(s, "displayName"), State: Str(s, "state"),
			TenantID: Str(s, "tenantId"), HomeTenantID: Str(s, "tenantId"), IsDefault: i == 0, EnvironmentName: environmentName,
			User: User{Name: req.Username, Type: cred.Type}, ManagedByTenants: []any{}})
	}
	if len(subs) == 0 {
		return nil, fmt.Errorf("No subscriptions found for %s.", req.Username)
	}
	if err := c.store.saveProfile(&Profile{Endpoint: c.endpoint.String(), Subscriptions: subs, Credential: cred}); err != nil {
		return nil, err
	}
	_ = c.store.saveTokens(map[string]cachedToken{c.tokenKey(cred, ScopeARM): tok})
	return subs, nil
}

// Logout forgets the signed-in account. It fails, as az does, when none is signed in.
func (c *Client) Logout() error {
	p, err := c.store.loadProfile()
	if err != nil {
		return err
	}
	if p.Credential == nil {
		return fmt.Errorf("There are no active accounts.")
	}
	return c.store.clear()
}

// Account returns the default subscription of the signed-in account.
func (c *Client) Account() (*Subscription, error) {
	p, err := c.store.loadProfile()
	if err != nil {
		return nil, err
	}
	for i := range p.Subscriptions {
		if p.Subscriptions[i].IsDefault {
			return &p.Subscriptions[i], nil
		}
	}
	return nil, ErrNotLoggedIn
}

// SubscriptionID returns the id of the default subscription.
func (c *Client) SubscriptionID() (string, error) {
	a, err := c.Account()
	if err != nil {
		return "", err
	}
	return a.ID, nil
}

// TenantID returns the tenant the account signed in to.
func (c *Client) TenantID() (string, error) {
	a, err := c.Account()
	if err != nil {
		return "", err
	}
	return a.TenantID, nil
}

// Token returns an access token for scope: from the cache while it has more than a few minutes left, else
// a new one from the emulated Entra with the saved credential.
func (c *Client) Token(ctx context.Context, scope string) (string, error) {
	p, err := c.store.loadProfile()
	if err != nil {
		return "", err
	}
	if p.Credential == nil {
		return "", ErrNotLoggedIn
	}
	key := c.tokenKey(p.Credential, scope)
	cache := c.store.loadTokens()
	if t, ok := cache[key]; ok && t.ExpiresOn.After(c.now().Add(tokenSkew)) {
		return t.AccessToken, nil
	}
	t, err := c.requestToken(ctx, p.Credential, scope)
	if err != nil {
		return "", err
	}
	cache[key] = t
	for k, v := range cache {
		if !v.ExpiresOn.After(c.now()) {
			delete(cache, k)
		}
	}
	_ = c.store.saveTokens(cache)
	return t.AccessToken, nil
}

func (c *Client) tokenKey(cred *Credential, scope string) string {
	return c.endpoint.String() + " " + cred.Type + " " + strings.ToLower(cred.Username) + " " + scope
}

// requestToken calls the emulated Entra's v2.0 token endpoint.
func (c *Client) requestToken(ctx context.Context, cred *Credential, scope string) (cachedToken, error) {
	form := url.Values{"scope": {scope}}
	if cred.Type == AccountServicePrincipal {
		form.Set("grant_type", "client_credentials")
		form.Set("client_id", cred.Username)
		form.Set("client_secret", cred.Secret)
	} else {
		form.Set("grant_type", "password")
		form.Set("client_id", azureCLIClientID)
		form.Set("username", cred.Username)
		form.Set("password", cred.Secret)
	}
	u := c.endpoint.String() + "/" + url.PathEscape(cred.Tenant) + "/oauth2/v2.0/token"
	resp, err := c.do(ctx, request{method: http.MethodPost, url: u, form: form})
	if err != nil {
		return cachedToken{}, err
	}
	var out struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := json.Unmarshal(resp.body, &out); err != nil || resp.status != http.StatusOK {
		if out.Description != "" {
			return cachedToken{}, &AuthError{StatusCode: resp.status, Code: out.Error, Description: out.Description}
		}
		return cachedToken{}, &HTTPError{StatusCode: resp.status}
	}
	return cachedToken{AccessToken: out.AccessToken, ExpiresOn: c.now().Add(time.Duration(out.ExpiresIn) * time.Second)}, nil
}

// Claims are the few token claims the client reads (it never verifies tokens; the server does).
type Claims struct {
	TenantID string `json:"tid"`
	ObjectID string `json:"oid"`
	UPN      string `json:"upn"`
	AppID    string `json:"appid"`
}

// parseClaims reads a JWT's payload without verifying it.
func parseClaims(raw string) (*Claims, error) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("the token endpoint returned a malformed access token")
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, fmt.Errorf("the token endpoint returned a malformed access token: %w", err)
	}
	c := &Claims{}
	if err := json.Unmarshal(b, c); err != nil {
		return nil, fmt.Errorf("the token endpoint returned a malformed access token: %w", err)
	}
	return c, nil
}
