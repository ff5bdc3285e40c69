package conformance

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/containers/azcontainerregistry"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/authorization/armauthorization/v2"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/containerregistry/armcontainerregistry"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/acremu/acremu/emulator/acremutest"
)

const sdkSeed = `
tenant: 11111111-1111-4111-8111-111111111111
subscription: 22222222-2222-4222-8222-222222222222
resourceGroups: [{name: rg}]
servicePrincipals:
  - {name: automation, appId: 44444444-4444-4444-8444-444444444444, secret: automation-secret}
  - {name: puller, appId: 55555555-5555-4555-8555-555555555555, secret: puller-secret}
registries:
  - {name: myregistry, resourceGroup: rg}
roleAssignments:
  - {role: Owner, assignee: automation, scope: /subscriptions/22222222-2222-4222-8222-222222222222}
`

// TestAzureSDKForGo drives the emulator over TLS with the Azure SDK for Go, unchanged: azidentity against
// the emulated Entra (a custom cloud), armcontainerregistry, armauthorization, and azcontainerregistry
// through /oauth2/exchange.
func TestAzureSDKForGo(t *testing.T) {
	srv := acremutest.NewServer(t, sdkSeed, acremutest.WithTLS())
	pem, err := os.ReadFile(srv.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	httpClient := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	emuCloud := cloud.Configuration{
		ActiveDirectoryAuthorityHost: srv.URL() + "/",
		Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager: {Audience: "https://management.azure.com/", Endpoint: srv.URL()},
			// The SDK's default for ACR: an ARM-audience Entra token traded at /oauth2/exchange.
			azcontainerregistry.ServiceName: {Audience: "https://management.azure.com"},
		},
	}
	copts := azcore.ClientOptions{Cloud: emuCloud, Transport: httpClient}
	cred, err := azidentity.NewClientSecretCredential("11111111-1111-4111-8111-111111111111",
		"44444444-4444-4444-8444-444444444444", "automation-secret",
		&azidentity.ClientSecretCredentialOptions{ClientOptions: copts, DisableInstanceDiscovery: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	sub := "22222222-2222-4222-8222-222222222222"
	regs, err := armcontainerregistry.NewRegistriesClient(sub, cred, &arm.ClientOptions{ClientOptions: copts})
	if err != nil {
		t.Fatal(err)
	}
	poller, err := regs.BeginCreate(ctx, "rg", "sdkregistry", armcontainerregistry.Registry{
		Location: to.Ptr("westeurope"), SKU: &armcontainerregistry.SKU{Name: to.Ptr(armcontainerregistry.SKUNameStandard)},
		Properties: &armcontainerregistry.RegistryProperties{AdminUserEnabled: to.Ptr(false)},
	}, nil)
	if err != nil {
		t.Fatalf("BeginCreate: %v", err)
	}
	created, err := poller.PollUntilDone(ctx, nil)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if *created.Properties.LoginServer != "sdkregistry.azurecr.io" || *created.Properties.ProvisioningState != armcontainerregistry.ProvisioningStateSucceeded {
		t.Errorf("created %s %s", *created.Properties.LoginServer, *created.Properties.ProvisioningState)
	}
	up, err := regs.BeginUpdate(ctx, "rg", "sdkregistry", armcontainerregistry.RegistryUpdateParameters{
		Properties: &armcontainerregistry.RegistryPropertiesUpdateParameters{AdminUserEnabled: to.Ptr(true)}}, nil)
	if err != nil {
		t.Fatalf("BeginUpdate: %v", err)
	}
	if updated, err := up.PollUntilDone(ctx, nil); err != nil || !*updated.Properties.AdminUserEnabled {
		t.Fatalf("update: %v", err)
	}
	got, err := regs.Get(ctx, "rg", "sdkregistry", nil)
	if err != nil || !*got.Properties.AdminUserEnabled {
		t.Fatalf("get: %v", err)
	}
	var names []string
	for pager := regs.NewListPager(nil); pager.More(); {
		page, err := pager.NextPage(ctx)
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		for _, r := range page.Value {
			names = append(names, *r.Name)
		}
	}
	if len(names) != 2 {
		t.Errorf("registries %v, want myregistry and sdkregistry", names)
	}

	// A conditioned role assignment through armauthorization, then listed.
	ras, err := armauthorization.NewRoleAssignmentsClient(sub, cred, &arm.ClientOptions{ClientOptions: copts})
	if err != nil {
		t.Fatal(err)
	}
	puller := srv.DB().State().ByDisplayName("puller")[0]
	scope := srv.RegistryID(t, "myregistry")
	_, err = ras.Create(ctx, scope, "5a5a5a5a-0000-4000-8000-000000000001", armauthorization.RoleAssignmentCreateParameters{
		Properties: &armauthorization.RoleAssignmentProperties{
			RoleDefinitionID: to.Ptr("/subscriptions/" + sub + "/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d"),
			PrincipalID:      to.Ptr(puller.ObjectID), PrincipalType: to.Ptr(armauthorization.PrincipalTypeServicePrincipal),
			Description: to.Ptr("puller pulls"),
		}}, nil)
	if err != nil {
		t.Fatalf("role assignment create: %v", err)
	}
	count := 0
	for pager := ras.NewListForScopePager(scope, &armauthorization.RoleAssignmentsClientListForScopeOptions{Filter: to.Ptr("atScope()")}); pager.More(); {
		page, err := pager.NextPage(ctx)
		if err != nil {
			t.Fatalf("role assignment list: %v", err)
		}
		count += len(page.Value)
	}
	if count != 2 {
		t.Errorf("%d assignments at the registry's scope, want 2 (Owner inherited, AcrPull)", count)
	}

	// azcontainerregistry: an image pushed by the Owner, listed through the exchange flow.
	ref, _ := name.NewTag(srv.Host + "/sdk/app:v1")
	img, _ := random.Image(256, 1)
	if err := remote.Write(ref, img, remote.WithTransport(httpClient.Transport),
		remote.WithAuth(&authn.Basic{Username: "44444444-4444-4444-8444-444444444444", Password: "automation-secret"})); err != nil {
		t.Fatalf("push: %v", err)
	}
	acr, err := azcontainerregistry.NewClient(srv.URL(), cred, &azcontainerregistry.ClientOptions{ClientOptions: copts})
	if err != nil {
		t.Fatal(err)
	}
	var repos []string
	for pager := acr.NewListRepositoriesPager(nil); pager.More(); {
		page, err := pager.NextPage(ctx)
		if err != nil {
			t.Fatalf("list repositories: %v", err)
		}
		for _, r := range page.Repositories.Names {
			repos = append(repos, *r)
		}
	}
	if len(repos) != 1 || repos[0] != "sdk/app" {
		t.Errorf("repositories %v, want [sdk/app]", repos)
	}
	var tags []string
	for pager := acr.NewListTagsPager("sdk/app", nil); pager.More(); {
		page, err := pager.NextPage(ctx)
		if err != nil {
			t.Fatalf("list tags: %v", err)
		}
		for _, tg := range page.Tags {
			tags = append(tags, *tg.Name)
		}
	}
	if len(tags) != 1 || tags[0] != "v1" {
		t.Errorf("tags %v, want [v1]", tags)
	}

	del, err := regs.BeginDelete(ctx, "rg", "sdkregistry", nil)
	if err != nil {
		t.Fatalf("BeginDelete: %v", err)
	}
	if _, err := del.PollUntilDone(ctx, nil); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := regs.Get(ctx, "rg", "sdkregistry", nil); err == nil {
		t.Error("registry still there after delete")
	}
}
