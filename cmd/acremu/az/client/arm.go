package client

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// api-versions az sends (spec policy-ca-arm.md §4). roleAssignmentMode exists from 2025-03-01-preview.
const (
	APIVersionResources     = "2024-11-01"
	APIVersionRegistries    = "2025-03-01-preview"
	APIVersionAuthorization = "2022-04-01"
	APIVersionIdentities    = "2023-01-31"
)

// ARM calls the management API: path is an ARM id or collection path (it may carry its own query, such as
// $filter), body is sent as JSON when not nil. It returns the decoded JSON answer, nil for an empty one.
func (c *Client) ARM(ctx context.Context, method, path, apiVersion string, body any) (any, error) {
	tok, err := c.Token(ctx, ScopeARM)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(c.endpoint.String() + path)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	q.Set("api-version", apiVersion)
	u.RawQuery = q.Encode()
	resp, err := c.do(ctx, request{method: method, url: u.String(), json: body, auth: "Bearer " + tok})
	if err != nil {
		return nil, err
	}
	if resp.status >= 300 {
		return nil, armError(resp)
	}
	return decodeJSON(resp.body)
}

// ARMList calls a list endpoint and returns its values.
func (c *Client) ARMList(ctx context.Context, path, apiVersion string) ([]Object, error) {
	v, err := c.ARM(ctx, http.MethodGet, path, apiVersion, nil)
	if err != nil {
		return nil, err
	}
	return Values(v), nil
}

// SubscriptionPath returns /subscriptions/{id} of the default subscription.
func (c *Client) SubscriptionPath() (string, error) {
	id, err := c.SubscriptionID()
	if err != nil {
		return "", err
	}
	return "/subscriptions/" + id, nil
}

// ResourceGroupPath returns the ARM id of a resource group in the default subscription.
func (c *Client) ResourceGroupPath(rg string) (string, error) {
	sub, err := c.SubscriptionPath()
	if err != nil {
		return "", err
	}
	return sub + "/resourceGroups/" + rg, nil
}

// ResourceGroupOf returns the resource group named by an ARM id, as az's _parse_id does: the fifth
// segment, when the fourth is resourceGroups and the id names something inside the group.
func ResourceGroupOf(id string) (string, bool) {
	parts := strings.Split(id, "/")
	if len(parts) < 9 || !strings.EqualFold(parts[3], "resourceGroups") {
		return "", false
	}
	return parts[4], true
}
