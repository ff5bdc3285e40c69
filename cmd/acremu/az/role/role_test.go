package role

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
	"github.com/acremu/acremu/emulator/acremutest"
	"github.com/acremu/acremu/storage/seed"
)

func testFactory(t *testing.T, srv *acremutest.Server) (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	f := cmdutil.NewFactory()
	var out, errb bytes.Buffer
	f.IO = &cmdutil.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb}
	env := map[string]string{cmdutil.EnvConfigDir: t.TempDir()}
	if srv != nil {
		env[cmdutil.EnvURL] = srv.URL()
	}
	f.LookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	if srv != nil {
		c, err := f.Client()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Login(context.Background(), client.LoginRequest{Username: seed.DevUser, Password: seed.DevUserPassword}); err != nil {
			t.Fatal(err)
		}
	}
	return f, &out, &errb
}

func parse(cmd *cobra.Command, args ...string) error {
	root := &cobra.Command{Use: "az", SilenceErrors: true, SilenceUsage: true}
	root.SetFlagErrorFunc(cmdutil.FlagError)
	root.AddCommand(cmd)
	root.SetArgs(cmdutil.Rewrite(root, append([]string{cmd.Name()}, args...)))
	return root.Execute()
}

const articleCondition = "( (  !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'})  AND  !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/metadata/read'}) ) OR  (  @Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase 'hello-world' ))"

func TestNewCmdAssignmentCreate(t *testing.T) {
	for _, tt := range []struct {
		name    string
		args    []string
		wantErr string
		check   func(*AssignmentOptions) bool
	}{
		{name: "article", args: []string{"--role", "Container Registry Repository Reader", "--scope", "/subscriptions/s/x", "--assignee", "user@contoso.com",
			"--description", "Read access to a specific repository", "--condition", articleCondition, "--condition-version", "2.0"},
			check: func(o *AssignmentOptions) bool {
				return o.Role == "Container Registry Repository Reader" && o.Condition == articleCondition && o.ConditionVersion == "2.0" &&
					o.Assignee == "user@contoso.com" && o.Description == "Read access to a specific repository"
			}},
		{name: "principal type normalised", args: []string{"--role", "AcrPull", "--assignee-object-id", "x", "--assignee-principal-type", "serviceprincipal"},
			check: func(o *AssignmentOptions) bool { return o.AssigneePrincipalType == "ServicePrincipal" }},
		{name: "role required", args: []string{"--assignee", "x"}, wantErr: "the following arguments are required: --role"},
		{name: "bad principal type", args: []string{"--role", "r", "--assignee-principal-type", "Robot"},
			wantErr: "argument --assignee-principal-type: invalid choice: 'Robot' (choose from 'User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device')"},
	} {
		f, _, _ := testFactory(t, nil)
		var got *AssignmentOptions
		err := parse(NewCmdAssignmentCreate(f, func(o *AssignmentOptions) error { got = o; return nil }), tt.args...)
		switch {
		case tt.wantErr != "":
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("%s: %v, want %q", tt.name, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case !tt.check(got):
			t.Errorf("%s: %+v", tt.name, got)
		}
	}
}

// Test_createRun creates assignments on a real server by object id (no directory lookups), then checks
// az's argument rules, its default condition version and its idempotence.
func Test_createRun(t *testing.T) {
	srv := acremutest.NewServer(t, "")
	scope := srv.RegistryID(t, seed.DevRegistry)
	run := func(o AssignmentOptions) (map[string]any, string, error) {
		f, out, errb := testFactory(t, srv)
		o.F = f
		err := createRun(context.Background(), &o)
		var m map[string]any
		_ = json.Unmarshal(out.Bytes(), &m)
		return m, errb.String(), err
	}
	reader := AssignmentOptions{Role: "b93aa761-3e63-49ed-ac28-beffa264f7ac", Scope: scope, AssigneeObjectID: seed.DevSPObjectID,
		AssigneePrincipalType: "ServicePrincipal", Condition: articleCondition}
	a, _, err := run(reader)
	if err != nil {
		t.Fatal(err)
	}
	if a["condition"] != articleCondition || a["conditionVersion"] != "2.0" || a["canDelegate"] != nil || a["scope"] != scope ||
		a["principalType"] != "ServicePrincipal" || a["resourceGroup"] != seed.DevResourceGroup {
		t.Errorf("created %v", a)
	}
	// Again: ARM says it exists, and az returns the existing assignment.
	again, _, err := run(reader)
	if err != nil || again["name"] != a["name"] {
		t.Errorf("second create: %v %v, want the existing %v", err, again["name"], a["name"])
	}
	for _, tt := range []struct {
		o       AssignmentOptions
		wantErr string
	}{
		{AssignmentOptions{Role: "AcrPull", Scope: scope}, "usage error: --assignee STRING | --assignee-object-id GUID"},
		{AssignmentOptions{Role: "AcrPull", Scope: scope, Assignee: "a", AssigneeObjectID: "b"}, "usage error: --assignee STRING | --assignee-object-id GUID"},
		{AssignmentOptions{Role: "AcrPull", Scope: scope, Assignee: "a", AssigneePrincipalType: "User"}, "usage error: --assignee-object-id GUID --assignee-principal-type TYPE"},
		{AssignmentOptions{Role: "AcrPull", Scope: scope, AssigneeObjectID: seed.DevSPObjectID, ConditionVersion: "2.0"}, "usage error: When --condition-version is set, --condition must be set as well."},
		{AssignmentOptions{Role: "No Such Role", Scope: scope, AssigneeObjectID: seed.DevSPObjectID, AssigneePrincipalType: "ServicePrincipal"}, "Role 'No Such Role' doesn't exist."},
		{AssignmentOptions{Role: "AcrPull", Scope: scope, ResourceGroup: "rg", AssigneeObjectID: seed.DevSPObjectID, AssigneePrincipalType: "ServicePrincipal"}, `Resource group "rg" is redundant because scope is supplied`},
	} {
		if _, _, err := run(tt.o); err == nil || err.Error() != tt.wantErr {
			t.Errorf("%+v: %v, want %q", tt.o, err, tt.wantErr)
		}
	}
	// Without --scope, az warns and assigns at the subscription.
	sub, stderr, err := run(AssignmentOptions{Role: "Reader", AssigneeObjectID: seed.DevSPObjectID, AssigneePrincipalType: "ServicePrincipal"})
	if err != nil || sub["scope"] != "/subscriptions/"+seed.DevSubscriptionID || !strings.Contains(stderr, "WARNING: "+scopeWarning) {
		t.Errorf("without --scope: %v %v %q", err, sub["scope"], stderr)
	}
}

func TestShapeAssignment(t *testing.T) {
	in := client.Object{"id": "/x/providers/Microsoft.Authorization/roleAssignments/n", "name": "n", "type": "Microsoft.Authorization/roleAssignments",
		"properties": map[string]any{"roleDefinitionId": "r", "principalId": "p", "principalType": "User", "scope": "/x", "condition": nil,
			"conditionVersion": nil, "description": nil, "createdOn": "t"}}
	got := ShapeAssignment(in)
	want := []string{"canDelegate", "condition", "conditionVersion", "description", "id", "name", "principalId", "principalType", "roleDefinitionId", "scope", "type"}
	if len(got) != len(want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	for _, k := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("missing %s", k)
		}
	}
	// The flattened form az prints is accepted back, as az role assignment update accepts it.
	if again := ShapeAssignment(got); again["principalId"] != "p" || again["scope"] != "/x" {
		t.Errorf("flattened input: %v", again)
	}
}
