package client_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/emulator/acremutest"
	"github.com/acremu/acremu/storage/seed"
)

func TestARMErrorText(t *testing.T) {
	for _, tt := range []struct {
		err  *client.ARMError
		want string
	}{
		{&client.ARMError{Code: "ResourceGroupNotFound", Message: "Resource group 'x' could not be found."},
			"(ResourceGroupNotFound) Resource group 'x' could not be found.\nCode: ResourceGroupNotFound\nMessage: Resource group 'x' could not be found."},
		{&client.ARMError{Code: "InvalidRoleAssignmentCondition", Message: "The given role assignment condition is invalid.",
			Details: []*client.ARMError{{Code: "ConditionValidationFailed", Message: "1:3: bad", Target: "properties.condition"}}},
			"(InvalidRoleAssignmentCondition) The given role assignment condition is invalid.\nCode: InvalidRoleAssignmentCondition\n" +
				"Message: The given role assignment condition is invalid.\nException Details:\t(ConditionValidationFailed) 1:3: bad\n" +
				"\tCode: ConditionValidationFailed\n\tMessage: 1:3: bad\n\tTarget: properties.condition"},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got\n%q\nwant\n%q", got, tt.want)
		}
	}
}

func TestResourceGroupOf(t *testing.T) {
	for _, tt := range []struct {
		id, want string
		ok       bool
	}{
		{"/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r", "rg", true},
		{"/subscriptions/s/resourcegroups/rg/providers/Microsoft.ContainerRegistry/registries/r/providers/Microsoft.Authorization/roleAssignments/n", "rg", true},
		{"/subscriptions/s/resourceGroups/rg", "", false},
		{"/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/n", "", false},
	} {
		if got, ok := client.ResourceGroupOf(tt.id); got != tt.want || ok != tt.ok {
			t.Errorf("ResourceGroupOf(%s) = %q %v", tt.id, got, ok)
		}
	}
}

// TestLoginAndTokenCache signs in against a real server, then checks the saved state's file modes and
// that tokens come from the cache until they near their expiry.
func TestLoginAndTokenCache(t *testing.T) {
	srv := acremutest.NewServer(t, "")
	dir := filepath.Join(t.TempDir(), "cfg")
	c, err := client.New(client.Options{ConfigDir: dir, Endpoint: srv.URL(), Now: srv.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Token(ctx, client.ScopeARM); !errors.Is(err, client.ErrNotLoggedIn) {
		t.Errorf("token before login: %v", err)
	}
	subs, err := c.Login(ctx, client.LoginRequest{Username: seed.DevUser, Password: seed.DevUserPassword})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].ID != seed.DevSubscriptionID || subs[0].TenantID != seed.DevTenantID || subs[0].User.Type != "user" {
		t.Errorf("subscriptions %+v", subs)
	}
	for _, f := range []string{"azureProfile.json", "accessTokens.json"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", f, err, st)
		}
	}
	t1, _ := c.Token(ctx, client.ScopeARM)
	srv.Clock.Advance(time.Minute)
	if t2, _ := c.Token(ctx, client.ScopeARM); t2 != t1 {
		t.Error("a fresh cached token was not reused")
	}
	srv.Clock.Advance(58 * time.Minute)
	if t3, err := c.Token(ctx, client.ScopeARM); err != nil || t3 == t1 {
		t.Errorf("a token near expiry was reused (%v)", err)
	}
	// A second client over the same directory finds the endpoint and the account.
	c2, err := client.New(client.Options{ConfigDir: dir, Now: srv.Clock.Now})
	if err != nil || c2.Endpoint() != srv.URL() {
		t.Fatalf("endpoint from the profile: %v %s", err, c2.Endpoint())
	}
	if id, err := c2.SubscriptionID(); err != nil || id != seed.DevSubscriptionID {
		t.Errorf("subscription: %s %v", id, err)
	}
	if err := c2.Logout(); err != nil {
		t.Fatal(err)
	}
	if err := c2.Logout(); err == nil || err.Error() != "There are no active accounts." {
		t.Errorf("second logout: %v", err)
	}
	var ae *client.AuthError
	if _, err := c.Login(ctx, client.LoginRequest{Username: seed.DevSPAppID, Password: "wrong", Tenant: seed.DevTenantID, ServicePrincipal: true}); !errors.As(err, &ae) || ae.Code != "invalid_client" {
		t.Errorf("bad secret: %v", err)
	}
}

func TestRegistryTokens(t *testing.T) {
	srv := acremutest.NewServer(t, "")
	c, err := client.New(client.Options{ConfigDir: t.TempDir(), Endpoint: srv.URL(), Now: srv.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Login(ctx, client.LoginRequest{Username: seed.DevUser, Password: seed.DevUserPassword}); err != nil {
		t.Fatal(err)
	}
	reg, _ := srv.DB().State().Registry(seed.DevRegistry)
	// By its login server (host:port), and by <name>.azurecr.io routed with the Host header.
	for _, login := range []string{reg.LoginServer, seed.DevRegistry + ".azurecr.io"} {
		rt, err := c.RegistryRefreshToken(ctx, login)
		if err != nil {
			t.Fatalf("%s: %v", login, err)
		}
		at, err := c.RegistryAccessToken(ctx, login, rt, client.ScopeCatalog)
		if err != nil {
			t.Fatalf("%s: %v", login, err)
		}
		if _, err := c.RegistryList(ctx, login, "/acr/v1/_catalog", "repositories", at); err != nil {
			t.Errorf("%s: catalog: %v", login, err)
		}
	}
	_, _, err = c.RegistryCall(ctx, "GET", reg.LoginServer, "/acr/v1/_catalog", url.Values{}, "not-a-token")
	var re *client.RegistryError
	if !errors.As(err, &re) || re.StatusCode != 401 || re.Message != "Error: authentication required, visit https://aka.ms/acr/authorization for more information." {
		t.Errorf("bad token: %v", err)
	}
}
