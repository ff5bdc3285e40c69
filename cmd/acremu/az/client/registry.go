package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Data-plane wire constants (spec acr-dataplane-auth.md §1.4-§1.10).
const (
	// NullGUID is the user name that tells a registry the password is an ACR refresh token.
	NullGUID = "00000000-0000-0000-0000-000000000000"
	// acrPageSize is the page size az asks /acr/v1 listings for.
	acrPageSize = "100"
)

// Repository scope actions az requests (azure-cli's RepoAccessTokenPermission; spec §1.8).
const (
	PermMetadataRead = "metadata_read"
	PermDeleteRead   = "delete,metadata_read"
)

// ScopeCatalog is the scope of a repository listing: the catalog only has "*".
const ScopeCatalog = "registry:catalog:*"

// RepositoryScope returns the token scope for actions on a repository.
func RepositoryScope(repo, actions string) string { return "repository:" + repo + ":" + actions }

// registryTarget returns where to send a request for a login server: a host:port is used as is (with the
// endpoint's scheme); a name without a port (<name>.azurecr.io) is reached at the endpoint's address with
// the login server in the Host header, which is how the emulator routes registries.
func (c *Client) registryTarget(loginServer string) (base, host string) {
	if _, _, err := net.SplitHostPort(loginServer); err == nil {
		return c.endpoint.Scheme + "://" + loginServer, ""
	}
	return c.endpoint.Scheme + "://" + c.endpoint.Host, loginServer
}

// azError is the text of an az ErrorClass: "An error occurred: TITLE\nmessage".
func azError(title, format string, args ...any) error {
	return fmt.Errorf("An error occurred: %s\n%s", title, fmt.Sprintf(format, args...))
}

// challenge checks that the registry answers /v2/ with a Bearer challenge, as az does before asking for
// tokens.
func (c *Client) challenge(ctx context.Context, loginServer string) error {
	base, host := c.registryTarget(loginServer)
	resp, err := c.do(ctx, request{method: http.MethodGet, url: base + "/v2/", host: host})
	if err != nil {
		return fmt.Errorf("Could not connect to the registry login server '%s'. Please verify that the registry exists and the URL '%s' is reachable from your environment.", loginServer, "https://"+loginServer+"/v2/")
	}
	if resp.status == http.StatusForbidden {
		return azError("CONNECTIVITY_FORBIDDEN_ERROR", "Looks like you don't have access to registry '%s'.", loginServer)
	}
	auth := resp.header.Get("WWW-Authenticate")
	if resp.status != http.StatusUnauthorized || auth == "" {
		return azError("CONNECTIVITY_CHALLENGE_ERROR", "Registry '%s' did not issue a challenge.", loginServer)
	}
	if !strings.HasPrefix(strings.ToLower(auth), "bearer ") || !strings.Contains(auth, "realm=") || !strings.Contains(auth, "service=") {
		return azError("CONNECTIVITY_AAD_LOGIN_ERROR", "Registry '%s' does not support AAD login.", loginServer)
	}
	return nil
}

// RegistryRefreshToken trades the account's ARM token for an ACR refresh token at the registry
// (POST /oauth2/exchange with grant_type=access_token), as `az acr login` does.
func (c *Client) RegistryRefreshToken(ctx context.Context, loginServer string) (string, error) {
	if err := c.challenge(ctx, loginServer); err != nil {
		return "", err
	}
	tok, err := c.Token(ctx, ScopeARM)
	if err != nil {
		return "", err
	}
	tenant, err := c.TenantID()
	if err != nil {
		return "", err
	}
	base, host := c.registryTarget(loginServer)
	resp, err := c.do(ctx, request{method: http.MethodPost, url: base + "/oauth2/exchange", host: host, form: url.Values{
		"grant_type": {"access_token"}, "service": {loginServer}, "tenant": {tenant}, "access_token": {tok}}})
	if err != nil {
		return "", err
	}
	var out struct {
		RefreshToken string `json:"refresh_token"`
	}
	if resp.status != http.StatusOK || json.Unmarshal(resp.body, &out) != nil || out.RefreshToken == "" {
		return "", azError("CONNECTIVITY_REFRESH_TOKEN_ERROR", "Access to registry '%s' was denied. Response code: %d. Please try running 'az login' again to refresh permissions.", loginServer, resp.status)
	}
	return out.RefreshToken, nil
}

// RegistryAccessToken trades a refresh token for an access token covering scope (POST /oauth2/token with
// grant_type=refresh_token).
func (c *Client) RegistryAccessToken(ctx context.Context, loginServer, refresh, scope string) (string, error) {
	return c.registryToken(ctx, loginServer, url.Values{"grant_type": {"refresh_token"}, "service": {loginServer},
		"scope": {scope}, "refresh_token": {refresh}})
}

// RegistryPasswordToken obtains an access token with a user name and password (the admin user, a service
// principal), as az does with --username/--password.
func (c *Client) RegistryPasswordToken(ctx context.Context, loginServer, user, pass, scope string) (string, error) {
	if err := c.challenge(ctx, loginServer); err != nil {
		return "", err
	}
	return c.registryToken(ctx, loginServer, url.Values{"grant_type": {"password"}, "service": {loginServer},
		"scope": {scope}, "username": {user}, "password": {pass}})
}

func (c *Client) registryToken(ctx context.Context, loginServer string, form url.Values) (string, error) {
	base, host := c.registryTarget(loginServer)
	resp, err := c.do(ctx, request{method: http.MethodPost, url: base + "/oauth2/token", host: host, form: form})
	if err != nil {
		return "", err
	}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if resp.status != http.StatusOK || json.Unmarshal(resp.body, &out) != nil || out.AccessToken == "" {
		return "", azError("CONNECTIVITY_ACCESS_TOKEN_ERROR", "Access to registry '%s' was denied. Response code: %d. Please try running 'az login' again to refresh permissions.", loginServer, resp.status)
	}
	return out.AccessToken, nil
}

// RegistryCall sends one data-plane request with a bearer access token and returns the decoded answer and
// the response headers. Failures are worded as az's request_data_from_registry words them.
func (c *Client) RegistryCall(ctx context.Context, method, loginServer, path string, query url.Values, token string) (any, http.Header, error) {
	base, host := c.registryTarget(loginServer)
	u := base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	resp, err := c.do(ctx, request{method: method, url: u, host: host, auth: "Bearer " + token})
	if err != nil {
		return nil, nil, err
	}
	switch {
	case resp.status == http.StatusNoContent:
		return nil, resp.header, nil
	case resp.status >= 200 && resp.status < 300:
		v, _ := decodeJSON(resp.body)
		return v, resp.header, nil
	}
	msg := map[int]string{
		http.StatusUnauthorized:     "Authentication required.",
		http.StatusNotFound:         "The requested data does not exist.",
		http.StatusMethodNotAllowed: "This operation is not supported.",
		http.StatusConflict:         "Failed to request data due to a conflict.",
	}[resp.status]
	if msg == "" {
		msg = fmt.Sprintf("Could not %s the requested data.", strings.ToLower(method))
	}
	var env struct {
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(resp.body, &env) == nil && len(env.Errors) > 0 && env.Errors[0].Message != "" {
		msg = "Error: " + env.Errors[0].Message
	}
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return nil, nil, &RegistryError{StatusCode: resp.status, Message: msg}
}

// RegistryList follows a paged /acr/v1 listing and returns the items under key.
func (c *Client) RegistryList(ctx context.Context, loginServer, path, key, token string) ([]any, error) {
	var out []any
	q := url.Values{"n": {acrPageSize}}
	for {
		v, hdr, err := c.RegistryCall(ctx, http.MethodGet, loginServer, path, q, token)
		if err != nil {
			return nil, err
		}
		items, _ := asObject(v)[key].([]any)
		out = append(out, items...)
		next := nextLink(hdr.Get("Link"))
		if next == nil {
			return out, nil
		}
		q = next
	}
}

// nextLink reads the query of a `Link: </path?last=x&n=2>; rel="next"` header.
func nextLink(h string) url.Values {
	i, j := strings.Index(h, "<"), strings.Index(h, ">")
	if i < 0 || j < i || !strings.Contains(h, `rel="next"`) {
		return nil
	}
	u, err := url.Parse(h[i+1 : j])
	if err != nil || len(u.Query()) == 0 {
		return nil
	}
	return u.Query()
}
