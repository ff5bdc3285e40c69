package az

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
	"github.com/acremu/acremu/emulator/acremutest"
	"github.com/acremu/acremu/storage/seed"
)

// TestMainCommands runs az command lines through Main against a real server, in order, one shared config
// directory, and checks stdout, stderr and the exit code of each.
func TestMainCommands(t *testing.T) {
	srv := acremutest.NewServer(t, "")
	dir := t.TempDir()
	env := map[string]string{cmdutil.EnvConfigDir: dir, cmdutil.EnvURL: srv.URL()}
	run := func(args ...string) (string, string, int) {
		f := cmdutil.NewFactory()
		var out, errb bytes.Buffer
		f.IO = &cmdutil.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb}
		f.LookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
		code := Main(f, args)
		return out.String(), errb.String(), code
	}
	for _, tt := range []struct {
		args      []string
		code      int
		stdout    string // regexp; empty means no output
		stderrRE  string // regexp; empty means no output
		configure func()
	}{
		{args: []string{"account", "show"}, code: 1, stderrRE: `^ERROR: Please run 'az login' to setup account.\n$`},
		{args: []string{"login"}, code: 1, stderrRE: `^ERROR: acremu emulates password and service principal sign-in only`},
		{args: []string{"login", "--service-principal", "-u", seed.DevSPAppID, "-p", seed.DevSPSecret}, code: 1, stderrRE: `^ERROR: Please supply tenant using "--tenant"\n$`},
		{args: []string{"login", "-u", seed.DevUser, "-p", seed.DevUserPassword, "--query", "[0].user.name", "-o", "tsv"}, stdout: `^` + seed.DevUser + `\n$`},
		{args: []string{"account", "show", "--query", "{id:id, tenant:tenantId}", "-o", "tsv"}, stdout: `^` + seed.DevSubscriptionID + "\t" + seed.DevTenantID + `\n$`},
		{args: []string{"account", "show", "--subscription", "other"}, code: 1, stderrRE: `^ERROR: Subscription 'other' not found.`},
		{args: []string{"group", "create", "-n", "rg2", "-l", "westeurope", "--tags", "a=b", "c", "-o", "tsv", "--query", "tags"}, stdout: "^b\t\n$"},
		{args: []string{"group", "list", "-o", "table"}, stdout: `^Name       Location    Status\n---------  ----------  ---------\nacremu-rg  eastus      Succeeded\nrg2        westeurope  Succeeded\n$`},
		{args: []string{"group", "exists", "-n", "nope"}, stdout: "^false\n$"},
		{args: []string{"acr", "create", "-n", "reg2", "-g", "rg2", "--sku", "Basic"}, code: 2, stderrRE: `^ERROR: Registry names may contain only alpha numeric characters and must be between 5 and 50 characters\n$`},
		{args: []string{"acr", "create", "-n", "Registry2", "-g", "rg2", "--sku", "Basic"}, code: 2, stderrRE: `^ERROR: argument error: Registry name must use only lowercase.\n$`},
		{args: []string{"acr", "create", "-n", "registry2", "-g", "rg2", "--sku", "basic", "--admin-enabled", "true", "--query", "[adminUserEnabled, location, roleAssignmentMode]", "-o", "tsv"}, stdout: "^true\nwesteurope\nLegacyRegistryPermissions\n$"},
		{args: []string{"acr", "update", "-n", "registry2", "--role-assignment-mode", "rbac-abac", "--query", "roleAssignmentMode"}, stdout: `^"AbacRepositoryPermissions"\n$`},
		{args: []string{"acr", "credential", "show", "-n", "registry2", "--query", "username", "-o", "yaml"}, stdout: "^registry2\n$"},
		{args: []string{"acr", "list", "-g", "rg2", "--query", "[].name", "-o", "json"}, stdout: "^\\[\n  \"registry2\"\n\\]\n$"},
		{args: []string{"acr", "delete", "-n", "registry2"}, code: 1, stderrRE: `^ERROR: Unable to prompt for confirmation as no tty available. Use --yes.\n$`},
		{args: []string{"acr", "delete", "-n", "registry2", "--yes"}},
		{args: []string{"acr", "show", "-n", "registry2", "-g", "rg2"}, code: 3, stderrRE: `^ERROR: \(ResourceNotFound\) The Resource 'Microsoft.ContainerRegistry/registries/registry2' under resource group 'rg2' was not found.`},
		{args: []string{"identity", "create", "-n", "builder", "-g", "rg2", "--query", "[name, location]", "-o", "tsv"}, stdout: "^builder\nwesteurope\n$"},
		{args: []string{"role", "definition", "list", "--name", "AcrPull", "--query", "[].roleType", "-o", "tsv"}, stdout: "^BuiltInRole\n$"},
		{args: []string{"role", "assignment", "list", "--query", "[].{p:principalName, r:roleDefinitionName}", "-o", "table"}, stdout: "^P                           R\n--------------------------  -----\ndev@acremu.onmicrosoft.com  Owner\n$"},
		{args: []string{"upgrade"}, stderrRE: `^WARNING: acremu az is part of the acremu binary`},
		{args: []string{"extension", "remove", "--name", "acrabac", "--only-show-errors"}},
		{args: []string{"acr", "list", "-o", "xml"}, code: 2, stderrRE: `^ERROR: argument --output/-o: invalid choice: 'xml'`},
		{args: []string{"nope"}, code: 2, stderrRE: `^ERROR: 'nope' is misspelled or not recognized by the system.\n$`},
		{args: []string{"logout"}},
	} {
		out, errOut, code := run(tt.args...)
		okOut := tt.stdout == "" && out == "" || tt.stdout != "" && regexp.MustCompile(tt.stdout).MatchString(out)
		okErr := tt.stderrRE == "" && errOut == "" || tt.stderrRE != "" && regexp.MustCompile(tt.stderrRE).MatchString(errOut)
		if code != tt.code || !okOut || !okErr {
			t.Errorf("az %s:\nexit %d, stdout %q, stderr %q\nwant exit %d, stdout %q, stderr %q", strings.Join(tt.args, " "), code, out, errOut, tt.code, tt.stdout, tt.stderrRE)
		}
	}
}
