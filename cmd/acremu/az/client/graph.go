package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// GraphVersion is the Microsoft Graph version az's `ad` commands call.
const GraphVersion = "/v1.0"

// Graph calls the directory API: path is relative to /v1.0 (e.g. "/users"), query holds OData options
// such as $filter, body is sent as JSON when not nil.
func (c *Client) Graph(ctx context.Context, method, path string, query url.Values, body any) (any, error) {
	tok, err := c.Token(ctx, ScopeGraph)
	if err != nil {
		return nil, err
	}
	u := c.endpoint.String() + GraphVersion + path
	if len(query) > 0 {
		// Graph and az encode spaces in $filter as %20.
		u += "?" + strings.ReplaceAll(query.Encode(), "+", "%20")
	}
	resp, err := c.do(ctx, request{method: method, url: u, json: body, auth: "Bearer " + tok})
	if err != nil {
		return nil, err
	}
	if resp.status >= 300 {
		return nil, graphError(resp)
	}
	return decodeJSON(resp.body)
}

// GraphList returns the objects of a Graph collection, filtered by an OData $filter when one is given.
func (c *Client) GraphList(ctx context.Context, path, filter string) ([]Object, error) {
	var q url.Values
	if filter != "" {
		q = url.Values{"$filter": {filter}}
	}
	v, err := c.Graph(ctx, http.MethodGet, path, q, nil)
	if err != nil {
		return nil, err
	}
	return Values(v), nil
}

// GraphGet returns one directory object.
func (c *Client) GraphGet(ctx context.Context, path string) (Object, error) {
	v, err := c.Graph(ctx, http.MethodGet, path, nil, nil)
	if err != nil {
		return nil, err
	}
	return asObject(v), nil
}

// GraphPost creates an object or calls an action, returning the answer (nil for 204).
func (c *Client) GraphPost(ctx context.Context, path string, body any) (Object, error) {
	v, err := c.Graph(ctx, http.MethodPost, path, nil, body)
	if err != nil || v == nil {
		return nil, err
	}
	return asObject(v), nil
}

// ObjectsByIDs returns the directory objects among ids (users, groups and service principals), each with
// its @odata.type.
func (c *Client) ObjectsByIDs(ctx context.Context, ids []string) ([]Object, error) {
	v, err := c.Graph(ctx, http.MethodPost, "/directoryObjects/getByIds", nil,
		map[string]any{"ids": ids, "types": []string{"user", "group", "servicePrincipal", "directoryObjectPartnerReference"}})
	if err != nil {
		return nil, err
	}
	return Values(v), nil
}

// ODataEscape quotes a value for an OData string literal.
func ODataEscape(s string) string { return strings.ReplaceAll(s, "'", "''") }

// PrincipalTypeOf maps a Graph @odata.type to ARM's principalType.
func PrincipalTypeOf(o Object) string {
	switch Str(o, "@odata.type") {
	case "#microsoft.graph.user":
		return "User"
	case "#microsoft.graph.servicePrincipal":
		return "ServicePrincipal"
	case "#microsoft.graph.group":
		return "Group"
	}
	return ""
}

// DisplayableName is az's _get_displayable_name: a user's UPN, a service principal's first SPN, else the
// display name.
func DisplayableName(o Object) string {
	if upn, ok := o["userPrincipalName"].(string); ok {
		return upn
	}
	if spns, ok := o["servicePrincipalNames"].([]any); ok && len(spns) > 0 {
		return fmt.Sprint(spns[0])
	}
	return Str(o, "displayName")
}
