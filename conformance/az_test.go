package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/acremu/acremu/conformance/clients"
	"github.com/acremu/acremu/emulator/acremutest"
	"github.com/acremu/acremu/storage/seed"
	"github.com/acremu/acremu/tokens"
)

// The command blocks of Microsoft's ABAC article (seed 003), copied verbatim: placeholders in angle brackets
// are filled by articleReplacer. Mind the trailing space after "OR" in the condition: the article has it,
// and the flattened condition's "OR  (" depends on it.
const (
	articleUpgrade         = "az upgrade"
	articleExtensionRemove = "az extension remove --name acrabac"
	articleCreate          = `az acr create --name <registry-name> --resource-group <resource-group> --sku <sku> --role-assignment-mode 'rbac-abac' --location <location>`
	articleShowMode        = `az acr show --name <registry-name> --resource-group <resource-group> --query "roleAssignmentMode"`
	articleUpdate          = `az acr update --name <registry-name> --resource-group <resource-group> --role-assignment-mode 'rbac-abac'`
	articleCondition       = `condition=$(cat <<'EOF' | tr -d '\n'
(
 (
  !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'})
  AND
  !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/metadata/read'})
 )
 OR 
 (
  @Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase 'hello-world'
 )
)
EOF
)`
	articleEcho   = `echo "$condition"`
	articleScope  = `scope=$(az acr show --name <registry-name> --resource-group <resource-group> --query "id" -o tsv)`
	articleAssign = `az role assignment create \
  --role "Container Registry Repository Reader" \
  --scope "$scope" \
  --assignee "user@contoso.com" \
  --description "Read access to a specific repository" \
  --condition "$condition" \
  --condition-version "2.0"`
	// articleAssignOutput is the article's sample output of articleAssign, with its {placeholders}.
	articleAssignOutput = `{
    "canDelegate": null,
    "condition": "( (  !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'})  AND  !(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/metadata/read'}) ) OR  (  @Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase 'hello-world' ))",
    "conditionVersion": "2.0",
    "description": "{description}",
    "id": "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentId}",
    "name": "{roleAssignmentId}",
    "principalId": "{userObjectId}",
    "principalType": "User",
    "resourceGroup": "{resourceGroup}",
    "roleDefinitionId": "/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionId}",
    "scope": "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.ContainerRegistry/registries/{registryName}",
    "type": "Microsoft.Authorization/roleAssignments"
}`
	repositoryReaderRole = "b93aa761-3e63-49ed-ac28-beffa264f7ac"
)

// Values the article's placeholders take in these tests. The assignee's domain is the development tenant's
// verified domain.
const (
	azRegistry = "abacregistry"
	azGroup    = "abac-rg"
	azUser     = "user@acremu.onmicrosoft.com"
	azUserPass = "User-Passw0rd!"
)

var articleReplacer = strings.NewReplacer("<registry-name>", azRegistry, "<resource-group>", azGroup, "<sku>", "Premium",
	"<location>", "westeurope", "user@contoso.com", azUser)

// TestAzCLI builds the acremu binary once, links it as az on a private PATH and runs az command lines in
// bash against in-process emulators, as a user following Microsoft's documentation would.
func TestAzCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the acremu binary")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("the article's commands need bash")
	}
	bin := buildAz(t)
	t.Run("ArticleABAC", func(t *testing.T) { testAzArticle(t, bin) })
	t.Run("Errors", func(t *testing.T) { testAzErrors(t, bin) })
	t.Run("Directory", func(t *testing.T) { testAzDirectory(t, bin) })
	t.Run("Repository", func(t *testing.T) { testAzRepository(t, bin) })
	t.Run("Identity", func(t *testing.T) { testAzIdentity(t, bin) })
}

// buildAz builds cmd/acremu into a temporary directory with an az symlink beside it and returns the
// directory.
func buildAz(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH")
	}
	dir := t.TempDir()
	cmd := exec.Command(goTool, "build", "-o", filepath.Join(dir, "acremu"), "github.com/acremu/acremu/cmd/acremu")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if err := os.Symlink("acremu", filepath.Join(dir, "az")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// azShell runs bash scripts with the az symlink first on PATH, pointed at one server, with a private
// config directory and HOME.
type azShell struct {
	t   *testing.T
	env []string
}

func newAzShell(t *testing.T, bin string, srv *acremutest.Server) *azShell {
	home := t.TempDir()
	return &azShell{t: t, env: append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"ACREMU_URL="+srv.URL(), "ACREMU_CONFIG_DIR="+filepath.Join(home, ".acremu"), "HOME="+home,
		"DOCKER_CONFIG="+filepath.Join(home, ".docker"), "AZURE_CORE_OUTPUT=")}
}

// azResult is one script's outcome.
type azResult struct {
	stdout, stderr string
	code           int
}

func (s *azShell) run(script string) azResult {
	s.t.Helper()
	cmd := exec.Command("bash", "-c", script)
	cmd.Env = s.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		s.t.Fatalf("bash: %v", err)
	}
	return azResult{stdout: out.String(), stderr: errb.String(), code: cmd.ProcessState.ExitCode()}
}

// ok runs a script that must succeed and returns its stdout.
func (s *azShell) ok(script string) string {
	s.t.Helper()
	r := s.run(script)
	if r.code != 0 {
		s.t.Fatalf("%s\nexit %d\nstdout: %s\nstderr: %s", script, r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// fails runs a script that must fail with code and print wantErr (a regexp) on stderr.
func (s *azShell) fails(script string, code int, wantErr string) {
	s.t.Helper()
	r := s.run(script)
	if r.code != code || !regexp.MustCompile(wantErr).MatchString(r.stderr) {
		s.t.Errorf("%s\ngot exit %d, stderr %q\nwant exit %d, stderr matching %q", script, r.code, r.stderr, code, wantErr)
	}
}

func (s *azShell) login(user, pass string) {
	s.t.Helper()
	s.ok("az login -u '" + user + "' -p '" + pass + "' -o none")
}

func decodeObject(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, s)
	}
	return m
}

// testAzArticle runs the article's blocks in one bash session, in the article's order, and compares what
// they print with what the article shows.
func testAzArticle(t *testing.T, bin string) {
	srv := acremutest.NewServer(t, "")
	sh := newAzShell(t, bin, srv)
	sh.login(seed.DevUser, seed.DevUserPassword)
	sh.ok("az group create -n " + azGroup + " -l westeurope -o none")
	sh.ok("az ad user create --display-name 'ABAC reader' --password '" + azUserPass + "' --user-principal-name " + azUser + " -o none")

	blocks := []string{articleUpgrade, articleExtensionRemove, articleCreate, articleShowMode, articleUpdate,
		articleCondition, articleEcho, articleScope, articleAssign}
	var script strings.Builder
	script.WriteString("set -e\n")
	for _, b := range blocks {
		script.WriteString("echo '::block::'\n")
		script.WriteString(articleReplacer.Replace(b) + "\n")
	}
	out := strings.Split(sh.ok(script.String()), "::block::\n")[1:]
	if len(out) != len(blocks) {
		t.Fatalf("got %d outputs for %d blocks", len(out), len(blocks))
	}
	// az acr create prints the registry, flattened as az prints it.
	if reg := decodeObject(t, out[2]); reg["roleAssignmentMode"] != "AbacRepositoryPermissions" || reg["resourceGroup"] != azGroup ||
		reg["loginServer"] != azRegistry+".azurecr.io" || reg["name"] != azRegistry {
		t.Errorf("az acr create printed %v", reg)
	}
	if out[3] != "\"AbacRepositoryPermissions\"\n" {
		t.Errorf("az acr show --query roleAssignmentMode printed %q", out[3])
	}
	if decodeObject(t, out[4])["roleAssignmentMode"] != "AbacRepositoryPermissions" {
		t.Errorf("az acr update printed %s", out[4])
	}
	want := decodeObject(t, articleAssignOutput)["condition"].(string)
	if out[6] != want+"\n" {
		t.Errorf("echo \"$condition\" printed %q, want the article's condition %q", out[6], want)
	}

	st := srv.DB().State()
	user, ok := st.UserByUPN(azUser)
	if !ok {
		t.Fatal("the user az ad user create made is not in the directory")
	}
	got := decodeObject(t, out[8])
	name, _ := got["name"].(string)
	regID := srv.RegistryID(t, azRegistry)
	fill := strings.NewReplacer("{subscriptionId}", seed.DevSubscriptionID, "{resourceGroup}", azGroup, "{registryName}", azRegistry,
		"{roleAssignmentId}", name, "{userObjectId}", user.ObjectID, "{roleDefinitionId}", repositoryReaderRole,
		"{description}", "Read access to a specific repository")
	wantOut := decodeObject(t, fill.Replace(articleAssignOutput))
	// The article's sample shows the assignment id at the resource group; ARM's id is the scope's (the
	// registry's) followed by the assignment path, as the scope field of the same sample says.
	wantOut["id"] = regID + "/providers/Microsoft.Authorization/roleAssignments/" + name
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(name) {
		t.Errorf("assignment name %q is not a GUID", name)
	}
	for k, w := range wantOut {
		if g, ok := got[k]; !ok || !reflect.DeepEqual(g, w) {
			t.Errorf("az role assignment create: %s = %#v, want %#v", k, got[k], w)
		}
	}
	for k := range got {
		if _, ok := wantOut[k]; !ok {
			t.Errorf("az role assignment create printed %s, which the article's output does not have", k)
		}
	}
	if a, ok := srv.DB().State().RoleAssignment(name); !ok {
		t.Error("the assignment is not in the store")
	} else if a.Condition != want || a.ConditionVersion != "2.0" {
		t.Errorf("stored condition %q (%s), want the article's byte for byte", a.Condition, a.ConditionVersion)
	}

	// The assignment takes effect at once: the assignee signs in with az, trades its token with az acr login
	// --expose-token, and the Docker engine pulls hello-world but nothing else.
	d := clients.StartDocker(t)
	listener := srv.RegistryAddr(azRegistry)
	sh.ok(`az role assignment create --role "Container Registry Repository Writer" --scope "` + regID + `" --assignee ` + seed.DevSPAppID + ` -o none`)
	writer := &authn.Basic{Username: seed.DevSPAppID, Password: seed.DevSPSecret}
	seedImageAs(t, listener, "hello-world", writer)
	seedImageAs(t, listener, "other", writer)
	userSh := newAzShell(t, bin, srv)
	userSh.login(azUser, azUserPass)
	exposed := decodeObject(t, userSh.ok("az acr login --name "+azRegistry+" --expose-token"))
	if exposed["loginServer"] != azRegistry+".azurecr.io" {
		t.Errorf("az acr login --expose-token printed %v", exposed)
	}
	refresh, _ := exposed["accessToken"].(string)
	if r := d.Login(t, listener, tokens.NullGUIDUser, refresh); r.ExitCode != 0 {
		t.Fatalf("docker login with the exposed token: %s", r)
	}
	d.Pull(t, listener+"/hello-world:v1")
	if r := d.Run(t, "pull", listener+"/other:v1"); r.ExitCode == 0 || !strings.Contains(r.Combined(), "denied") {
		t.Errorf("docker pull of another repository: %s", r)
	}
	d.MustRun(t, "rmi", listener+"/hello-world:v1")

	// To update or delete the role assignment, the article points at az role assignment update and delete.
	sh.ok(`set -e
scope=$(az acr show --name ` + azRegistry + ` --resource-group ` + azGroup + ` --query "id" -o tsv)
a=$(az role assignment list --scope "$scope" --assignee ` + azUser + ` --query "[0]")
az role assignment update --role-assignment "$(echo "$a" | sed 's/Read access to a specific repository/hello-world readers/')" -o none
test "$(az role assignment list --scope "$scope" --assignee ` + azUser + ` --query "[0].description" -o tsv)" = "hello-world readers"
az role assignment delete --scope "$scope" --assignee ` + azUser + ` --role "Container Registry Repository Reader"`)
	if left := sh.ok(`az role assignment list --scope "$(az acr show -n ` + azRegistry + ` -g ` + azGroup + ` --query id -o tsv)" --assignee ` + azUser); strings.TrimSpace(left) != "[]" {
		t.Errorf("az role assignment list after delete: %s", left)
	}
	if _, ok := srv.DB().State().RoleAssignment(name); ok {
		t.Error("the deleted assignment is still in the store")
	}
	// Deleted, the assignment no longer lets the user pull.
	if r := d.Run(t, "pull", listener+"/hello-world:v1"); r.ExitCode == 0 || !strings.Contains(r.Combined(), "denied") {
		t.Errorf("docker pull after the assignment was deleted: %s", r)
	}
}

// testAzErrors checks az's error lines and exit codes, and that refused commands change nothing.
func testAzErrors(t *testing.T, bin string) {
	srv := acremutest.NewServer(t, "")
	sh := newAzShell(t, bin, srv)
	sh.fails("az account show", 1, `^ERROR: Please run 'az login' to setup account.\n$`)
	sh.fails("az login -u "+seed.DevUser+" -p wrong", 1, `^ERROR: AADSTS50126: Error validating credentials due to invalid username or password.\n$`)
	sh.login(seed.DevUser, seed.DevUserPassword)
	scope := srv.RegistryID(t, seed.DevRegistry)
	count := func() int { return len(srv.DB().State().RoleAssignments()) }
	before := count()

	sh.fails("az acr create -n "+azRegistry, 2, `^ERROR: the following arguments are required: --resource-group/-g, --sku\n$`)
	sh.fails("az acr create -n "+azRegistry+" -g x --sku Gold", 2, `^ERROR: argument --sku: invalid choice: 'Gold'`)
	sh.fails("az acr list --bogus", 2, `^ERROR: unrecognized arguments: --bogus\n$`)
	sh.fails("az acr frobnicate", 2, `^ERROR: 'frobnicate' is misspelled or not recognized by the system.\n$`)
	sh.fails("az acr show -n nosuchregistry", 3, `^ERROR: The resource with name 'nosuchregistry' and type 'Microsoft.ContainerRegistry/registries' could not be found`)
	sh.fails("az group show -n nosuch", 3, "^ERROR: \\(ResourceGroupNotFound\\) Resource group 'nosuch' could not be found.\nCode: ResourceGroupNotFound\nMessage: Resource group 'nosuch' could not be found.\n$")
	sh.fails("az acr show -n myregistry --query '[?'", 2, `^ERROR: argument --query: invalid jmespath_type value`)

	sh.fails(`az role assignment create --role "No Such Role" --scope "`+scope+`" --assignee `+seed.DevSPAppID, 1, `^ERROR: Role 'No Such Role' doesn't exist.\n$`)
	sh.fails(`az role assignment create --role "Container Registry Repository Reader" --scope "`+scope+`" --assignee nobody@acremu.onmicrosoft.com`, 1,
		`^ERROR: Cannot find user or service principal in graph database for 'nobody@acremu.onmicrosoft.com'.`)
	sh.fails(`az role assignment create --role "Container Registry Repository Reader" --scope "`+scope+`" --assignee `+seed.DevSPAppID+
		` --condition "@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase nginx"`, 1,
		"^ERROR: \\(InvalidRoleAssignmentCondition\\) The given role assignment condition is invalid.\nCode: InvalidRoleAssignmentCondition\n"+
			"Message: The given role assignment condition is invalid.\nException Details:\t\\(ConditionValidationFailed\\) .+\n\tCode: ConditionValidationFailed\n")
	sh.fails(`az role assignment create --role AcrPull --scope "`+scope+`" --assignee `+seed.DevSPAppID+` --condition-version 2.0`, 1,
		`^ERROR: usage error: When --condition-version is set, --condition must be set as well.\n$`)
	if after := count(); after != before {
		t.Errorf("refused commands changed the store: %d assignments, want %d", after, before)
	}

	// The service principal holds AcrPush only: ARM and the directory refuse its writes.
	sh.ok("az login --service-principal -u " + seed.DevSPAppID + " -p " + seed.DevSPSecret + " --tenant " + seed.DevTenantID + " -o none")
	if u := sh.ok("az account show --query user"); decodeObject(t, u)["type"] != "servicePrincipal" {
		t.Errorf("az account show after a service principal login: %s", u)
	}
	// (By GUID: by name, the role lookup itself is refused, as the principal may not read role definitions.)
	sh.fails(`az role assignment create --role 7f951dda-4ed3-4680-a7ca-43fe172d538d --scope "`+scope+`" --assignee-object-id `+seed.DevSPObjectID+` --assignee-principal-type ServicePrincipal`, 1,
		`^ERROR: \(AuthorizationFailed\) The client '`+seed.DevSPAppID+`' with object id '`+seed.DevSPObjectID+`' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write'`)
	sh.fails(`az ad user create --display-name x --password 'Passw0rd!x' --user-principal-name x@acremu.onmicrosoft.com`, 1,
		`^ERROR: Insufficient privileges to complete the operation.\n$`)
	sh.fails("az ad signed-in-user show", 1, `^ERROR: /me request is only valid with delegated authentication flow.\n$`)
	if after := count(); after != before {
		t.Errorf("refused commands changed the store: %d assignments, want %d", after, before)
	}
	if _, ok := srv.DB().State().UserByUPN("x@acremu.onmicrosoft.com"); ok {
		t.Error("a refused az ad user create created the user")
	}
	sh.ok("az logout")
	sh.fails("az logout", 1, `^ERROR: There are no active accounts.\n$`)
}

// testAzDirectory runs the az ad commands and resolves --assignee by UPN, appId, display name and object id.
func testAzDirectory(t *testing.T, bin string) {
	srv := acremutest.NewServer(t, "")
	sh := newAzShell(t, bin, srv)
	sh.login(seed.DevUser, seed.DevUserPassword)
	sub := "/subscriptions/" + seed.DevSubscriptionID
	regID := srv.RegistryID(t, seed.DevRegistry)

	me := decodeObject(t, sh.ok("az ad signed-in-user show"))
	if me["userPrincipalName"] != seed.DevUser || me["id"] != seed.DevUserObjectID {
		t.Errorf("az ad signed-in-user show: %v", me)
	}
	u := decodeObject(t, sh.ok("az ad user create --display-name Dana --password 'Dana-Passw0rd' --user-principal-name dana@acremu.onmicrosoft.com"))
	if u["userPrincipalName"] != "dana@acremu.onmicrosoft.com" || u["displayName"] != "Dana" {
		t.Errorf("az ad user create: %v", u)
	}
	sh.fails("az ad user create --display-name Dana --password 'Dana-Passw0rd' --user-principal-name dana@acremu.onmicrosoft.com", 1,
		`^ERROR: Another object with the same value for property userPrincipalName already exists.\n$`)
	sh.fails("az ad user create --display-name Eve --password weak --user-principal-name eve@acremu.onmicrosoft.com", 1, `password complexity`)
	sh.fails("az ad user create --display-name Eve --password 'Eve-Passw0rd' --user-principal-name eve@elsewhere.example", 1, `verified domain`)

	sp := decodeObject(t, sh.ok("az ad sp create-for-rbac --name ci-pusher --role AcrPush --scopes "+regID))
	appID, _ := sp["appId"].(string)
	pw, _ := sp["password"].(string)
	if sp["displayName"] != "ci-pusher" || sp["tenant"] != seed.DevTenantID || len(pw) != 40 || appID == "" {
		t.Errorf("az ad sp create-for-rbac: %v", sp)
	}
	spObj := decodeObject(t, sh.ok("az ad sp show --id "+appID))
	spID, _ := spObj["id"].(string)
	assigned := sh.ok("az role assignment list --scope " + regID + " --assignee " + appID + " --query '[].roleDefinitionName' -o tsv")
	if assigned != "AcrPush\n" {
		t.Errorf("create-for-rbac's role assignment: %q", assigned)
	}

	g := decodeObject(t, sh.ok("az ad group create --display-name 'Registry Readers' --mail-nickname registry-readers"))
	gid, _ := g["id"].(string)
	sh.ok("az ad group member add --group 'Registry Readers' --member-id " + spID)
	if m := sh.ok("az ad group member list --group " + gid + " --query '[].appId' -o tsv"); m != appID+"\n" {
		t.Errorf("az ad group member list: %q", m)
	}
	if c := sh.ok("az ad group member check --group " + gid + " --member-id " + spID + " --query value"); c != "true\n" {
		t.Errorf("az ad group member check: %q", c)
	}

	// --assignee resolution: UPN, appId, service principal and group display names, object id.
	for _, tt := range []struct{ assignee, wantID, wantType string }{
		{"dana@acremu.onmicrosoft.com", u["id"].(string), "User"},
		{appID, spID, "ServicePrincipal"},
		{"ci-pusher", spID, "ServicePrincipal"},
		{"Registry Readers", gid, "Group"},
		{gid, gid, "Group"},
		{seed.DevUserObjectID, seed.DevUserObjectID, "User"},
	} {
		a := decodeObject(t, sh.ok(`az role assignment create --role Reader --scope `+sub+` --assignee "`+tt.assignee+`"`))
		if a["principalId"] != tt.wantID || a["principalType"] != tt.wantType {
			t.Errorf("--assignee %s: principal %v (%v), want %s (%s)", tt.assignee, a["principalId"], a["principalType"], tt.wantID, tt.wantType)
		}
		sh.ok(`az role assignment delete --ids ` + a["id"].(string))
	}

	// The new service principal signs in with the generated secret and pushes to the registry it was given.
	// Holding no control-plane role, it cannot read the registry through ARM: az acr login then falls back,
	// as az does, to <name>.azurecr.io (which the emulator routes by Host).
	sh.ok("az login --service-principal -u " + appID + " -p '" + pw + "' --tenant " + seed.DevTenantID + " -o none")
	r := sh.run("az acr login -n " + seed.DevRegistry + " --expose-token")
	tok := decodeObject(t, r.stdout)
	if r.code != 0 || tok["loginServer"] != seed.DevRegistry+".azurecr.io" || tok["accessToken"] == "" ||
		!strings.Contains(r.stderr, "Using 'myregistry.azurecr.io' as the default registry login server.") {
		t.Errorf("az acr login --expose-token: %d %v\n%s", r.code, tok, r.stderr)
	}
	seedImageAs(t, srv.Host, "ci/app", &authn.Basic{Username: appID, Password: pw})
}

// testAzRepository lists, shows and deletes repositories through the data plane with ACR tokens.
func testAzRepository(t *testing.T, bin string) {
	srv := acremutest.NewServer(t, "")
	sh := newAzShell(t, bin, srv)
	sh.login(seed.DevUser, seed.DevUserPassword)
	sp := &authn.Basic{Username: seed.DevSPAppID, Password: seed.DevSPSecret}
	d := seedImageAs(t, srv.Host, "hello-world", sp)
	seedImageAs(t, srv.Host, "backend/api", sp)

	if got := sh.ok("az acr repository list -n " + seed.DevRegistry + " -o tsv"); got != "backend/api\nhello-world\n" {
		t.Errorf("az acr repository list: %q", got)
	}
	if got := sh.ok("az acr repository show-tags -n " + seed.DevRegistry + " --repository hello-world -o tsv"); got != "v1\n" {
		t.Errorf("az acr repository show-tags: %q", got)
	}
	if got := sh.ok("az acr repository show -n " + seed.DevRegistry + " --image hello-world:v1 --query digest -o tsv"); got != d.DigestStr()+"\n" {
		t.Errorf("az acr repository show --image: %q, want %s", got, d.DigestStr())
	}
	sh.fails("az acr repository delete -n "+seed.DevRegistry+" --repository hello-world", 1, `^ERROR: Unable to prompt for confirmation as no tty available. Use --yes.\n$`)
	del := decodeObject(t, sh.ok("az acr repository delete -n "+seed.DevRegistry+" --repository hello-world --yes"))
	if m, _ := del["manifestsDeleted"].([]any); len(m) != 1 || m[0] != d.DigestStr() {
		t.Errorf("az acr repository delete: %v", del)
	}
	sh.fails("az acr repository show-tags -n "+seed.DevRegistry+" --repository hello-world", 1, `^ERROR: Error: repository name not known to registry.\n$`)
	if got := sh.ok("az acr repository list -n " + seed.DevRegistry + " -o tsv"); strings.Contains(got, "hello-world") {
		t.Errorf("az acr repository list after delete: %q", got)
	}

	// The dev registry's admin user: credential show refuses until it is enabled.
	sh.fails("az acr credential show -n "+seed.DevRegistry, 1, `^ERROR: Run 'az acr update -n myregistry --admin-enabled true' to enable admin first.\n$`)
	sh.ok("az acr update -n " + seed.DevRegistry + " --admin-enabled true -o none")
	if got := sh.ok("az acr credential show -n " + seed.DevRegistry + " --query username -o tsv"); got != seed.DevRegistry+"\n" {
		t.Errorf("az acr credential show: %q", got)
	}
	old := sh.ok("az acr credential show -n " + seed.DevRegistry + " --query 'passwords[0].value' -o tsv")
	srv.Clock.Advance(1)
	if renewed := sh.ok("az acr credential renew -n " + seed.DevRegistry + " --password-name password --query 'passwords[0].value' -o tsv"); renewed == old {
		t.Error("az acr credential renew kept the password")
	}
	if got := sh.ok("az acr list -o table"); !strings.Contains(got, "NAME        RESOURCE GROUP    LOCATION    SKU       LOGIN SERVER") {
		t.Errorf("az acr list -o table:\n%s", got)
	}
}

// testAzIdentity creates a user-assigned managed identity and assigns it a role by principal id.
func testAzIdentity(t *testing.T, bin string) {
	srv := acremutest.NewServer(t, "")
	sh := newAzShell(t, bin, srv)
	sh.login(seed.DevUser, seed.DevUserPassword)
	r := sh.run("az identity create -n builder -g " + seed.DevResourceGroup)
	if r.code != 0 && strings.Contains(r.stderr, "InvalidResourceType") {
		t.Skip("the server has no Microsoft.ManagedIdentity/userAssignedIdentities routes")
	}
	mi := decodeObject(t, r.stdout)
	pid, _ := mi["principalId"].(string)
	if mi["name"] != "builder" || mi["resourceGroup"] != seed.DevResourceGroup || pid == "" || mi["tenantId"] != seed.DevTenantID {
		t.Errorf("az identity create: %v", mi)
	}
	if got := sh.ok("az identity show -n builder -g " + seed.DevResourceGroup + " --query principalId -o tsv"); got != pid+"\n" {
		t.Errorf("az identity show: %q", got)
	}
	if got := sh.ok("az identity list --query '[].name' -o tsv"); got != "builder\n" {
		t.Errorf("az identity list: %q", got)
	}
	a := decodeObject(t, sh.ok("az role assignment create --role AcrPull --scope "+srv.RegistryID(t, seed.DevRegistry)+
		" --assignee-object-id "+pid+" --assignee-principal-type ServicePrincipal"))
	if a["principalId"] != pid || a["principalType"] != "ServicePrincipal" {
		t.Errorf("assignment to the identity: %v", a)
	}
}
