// Package client is the HTTP client of the acremu server that `acremu az` uses: the emulated Entra ID
// (sign-in and token cache), the ARM-compatible management API, the Graph-shaped directory and each
// registry's data plane. It never opens the store; everything goes over HTTP, as the real az does against
// Azure.
//
// # Login state
//
// The signed-in account lives in the config directory (ACREMU_CONFIG_DIR, ~/.acremu by default): the
// account, the secret needed to obtain fresh tokens (the emulated Entra issues no refresh tokens) and a
// cache of access tokens. Both files are written with mode 0600, as az keeps service principal secrets on
// disk too.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultEndpoint is the address `acremu serve` listens on by default.
const DefaultEndpoint = "http://127.0.0.1:5000"

// Options configures New.
type Options struct {
	// ConfigDir holds the login state.
	ConfigDir string
	// Endpoint is the server's base URL; empty means the one saved at login, else DefaultEndpoint.
	Endpoint string
	// HTTP sends the requests; nil means a client with a 60-second timeout.
	HTTP *http.Client
	// Now is the clock used for token expiry; nil means time.Now.
	Now func() time.Time
	// Debugf, when set, receives one line per request and response.
	Debugf func(format string, args ...any)
}

// Client talks to one acremu server on behalf of the signed-in account.
type Client struct {
	endpoint *url.URL
	http     *http.Client
	store    *store
	now      func() time.Time
	debugf   func(format string, args ...any)
}

// New returns a client. It reads the saved profile to find the endpoint when none is given.
func New(o Options) (*Client, error) {
	c := &Client{http: o.HTTP, store: &store{dir: o.ConfigDir}, now: o.Now, debugf: o.Debugf}
	if c.http == nil {
		c.http = &http.Client{Timeout: 60 * time.Second}
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.debugf == nil {
		c.debugf = func(string, ...any) {}
	}
	ep := o.Endpoint
	if ep == "" {
		if p, err := c.store.loadProfile(); err == nil && p.Endpoint != "" {
			ep = p.Endpoint
		}
	}
	if ep == "" {
		ep = DefaultEndpoint
	}
	u, err := url.Parse(strings.TrimRight(ep, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid acremu endpoint %q: want http(s)://host:port", ep)
	}
	c.endpoint = u
	return c, nil
}

// Endpoint returns the server's base URL.
func (c *Client) Endpoint() string { return c.endpoint.String() }

// request is one HTTP call: JSON or form body, bearer or basic credentials, and a Host override for
// registries addressed by login server.
type request struct {
	method string
	url    string
	host   string // Host header, when it differs from the URL's
	json   any
	form   url.Values
	auth   string // Authorization header value
}

// response is a received answer, body read.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (c *Client) do(ctx context.Context, r request) (*response, error) {
	var body io.Reader
	ctype := ""
	switch {
	case r.json != nil:
		b, err := json.Marshal(r.json)
		if err != nil {
			return nil, err
		}
		body, ctype = bytes.NewReader(b), "application/json"
	case r.form != nil:
		body, ctype = strings.NewReader(r.form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, body)
	if err != nil {
		return nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if r.auth != "" {
		req.Header.Set("Authorization", r.auth)
	}
	if r.host != "" {
		req.Host = r.host
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	c.debugf("Request URL: '%s'", r.url)
	c.debugf("Request method: '%s'", r.method)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, &ConnectionError{URL: r.url, Err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, &ConnectionError{URL: r.url, Err: err}
	}
	c.debugf("Response status: %d", resp.StatusCode)
	return &response{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// userAgent names the client in server logs.
const userAgent = "acremu-az (AZURECLI compatible)"

// decodeJSON decodes a response body into generic JSON values (nil for an empty body).
func decodeJSON(b []byte) (any, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("the server answered with a body that is not JSON: %w", err)
	}
	return v, nil
}

// Object is a JSON object as decoded from a response.
type Object = map[string]any

// asObject returns v as an object, or an empty one.
func asObject(v any) Object {
	if m, ok := v.(map[string]any); ok {
		return m
	}
	return Object{}
}

// Str returns the string at key, or "".
func Str(o Object, key string) string {
	s, _ := o[key].(string)
	return s
}

// Values returns the "value" array of a list envelope as objects.
func Values(v any) []Object {
	arr, _ := asObject(v)["value"].([]any)
	out := make([]Object, 0, len(arr))
	for _, x := range arr {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}
