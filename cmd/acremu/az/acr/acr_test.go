package acr

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
	"github.com/acremu/acremu/emulator/acremutest"
	"github.com/acremu/acremu/storage/seed"
)

// testFactory returns a factory writing to buffers, with a private config directory and, when srv is set,
// signed in to it as the development Owner.
func testFactory(t *testing.T, srv *acremutest.Server) (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	f := cmdutil.NewFactory()
	var out, errb bytes.Buffer
	f.IO = &cmdutil.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb}
	dir := t.TempDir()
	env := map[string]string{cmdutil.EnvConfigDir: dir}
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

// parse runs a command built by a constructor with az's argument syntax and returns the error.
func parse(cmd *cobra.Command, args string) error {
	root := &cobra.Command{Use: "az", SilenceErrors: true, SilenceUsage: true}
	root.SetFlagErrorFunc(cmdutil.FlagError)
	root.AddCommand(cmd)
	root.SetArgs(cmdutil.Rewrite(root, append([]string{cmd.Name()}, splitArgs(args)...)))
	root.SetOut(&bytes.Buffer{})
	return root.Execute()
}

// splitArgs splits on spaces, keeping single-quoted words together.
func splitArgs(s string) []string {
	var out []string
	for i, part := range strings.Split(s, "'") {
		if i%2 == 1 {
			out = append(out, part)
			continue
		}
		out = append(out, strings.Fields(part)...)
	}
	return out
}

func TestNewCmdCreate(t *testing.T) {
	for _, tt := range []struct {
		args    string
		wantErr string
		check   func(*CreateOptions) bool
	}{
		{args: "--name abacregistry --resource-group rg --sku premium --role-assignment-mode 'rbac-abac' --location westeurope",
			check: func(o *CreateOptions) bool {
				return o.Name == "abacregistry" && o.ResourceGroup == "rg" && o.SKU == "Premium" && o.RoleAssignmentMode == "rbac-abac" &&
					o.Location == "westeurope" && o.AdminEnabled.Ptr() == nil
			}},
		{args: "-n abcde -g rg --sku Basic --admin-enabled true --tags a=b c=d", check: func(o *CreateOptions) bool {
			return *o.AdminEnabled.Ptr() && o.TagsSet && len(o.Tags) == 2
		}},
		{args: "-n abcde -g rg --sku Basic --admin-enabled", check: func(o *CreateOptions) bool { return *o.AdminEnabled.Ptr() }},
		{args: "-n abcde.azurecr.io -g rg --sku Basic", check: func(o *CreateOptions) bool { return o.Name == "abcde" }},
		{args: "-n abcde", wantErr: "the following arguments are required: --resource-group/-g, --sku"},
		{args: "-n abcde -g rg --sku Gold", wantErr: "argument --sku: invalid choice: 'Gold' (choose from 'Basic', 'Standard', 'Premium')"},
		{args: "-n abcde -g rg --sku Basic --role-assignment-mode abac", wantErr: "argument --role-assignment-mode: invalid choice: 'abac' (choose from 'rbac', 'rbac-abac')"},
		{args: "-n ab-cd -g rg --sku Basic", wantErr: badRegistryName},
		{args: "-n abcd -g rg --sku Basic", wantErr: badRegistryName},
	} {
		f, _, _ := testFactory(t, nil)
		var got *CreateOptions
		err := parse(NewCmdCreate(f, func(o *CreateOptions) error { got = o; return nil }), tt.args)
		switch {
		case tt.wantErr != "":
			if err == nil || err.Error() != tt.wantErr || cmdutil.ExitCode(err) != cmdutil.ExitUsage {
				t.Errorf("%s: error %v, want usage error %q", tt.args, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.args, err)
		case !tt.check(got):
			t.Errorf("%s: options %+v", tt.args, got)
		}
	}
}

func TestNewCmdLoginAndRepository(t *testing.T) {
	f, _, _ := testFactory(t, nil)
	var lo *LoginOptions
	if err := parse(NewCmdLogin(f, func(o *LoginOptions) error { lo = o; return nil }), "-n myregistry --expose-token"); err != nil || !lo.ExposeToken || lo.Name != "myregistry" {
		t.Errorf("acr login: %v %+v", err, lo)
	}
	var ro *RepositoryOptions
	if err := parse(NewCmdRepositoryShowTags(f, func(o *RepositoryOptions) error { ro = o; return nil }), "-n myregistry --repository a/b --top 5 --orderby TIME_DESC"); err != nil ||
		ro.Repository != "a/b" || ro.Top != 5 || ro.OrderBy != "time_desc" {
		t.Errorf("acr repository show-tags: %v %+v", err, ro)
	}
	for _, tt := range []struct{ image, repo, tag, digest string }{
		{"hello:v1", "hello", "v1", ""}, {"a/b", "a/b", "latest", ""}, {"a/b@sha256:00", "a/b", "", "sha256:00"},
	} {
		repo, tag, digest, err := target(&RepositoryOptions{Image: tt.image})
		if err != nil || repo != tt.repo || tag != tt.tag || digest != tt.digest {
			t.Errorf("target(%s) = %s %s %s %v", tt.image, repo, tag, digest, err)
		}
	}
	if _, _, _, err := target(&RepositoryOptions{}); err == nil {
		t.Error("target without --image or --repository")
	}
}

// Test_loginRun signs in to a real server and runs `az acr login`: with --expose-token, then through a
// docker stand-in that records its arguments and standard input.
func Test_loginRun(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the docker stand-in is a shell script")
	}
	srv := acremutest.NewServer(t, "")
	reg, _ := srv.DB().State().Registry(seed.DevRegistry)
	login := reg.LoginServer
	f, out, errb := testFactory(t, srv)
	ctx := context.Background()
	if err := loginRun(ctx, &LoginOptions{F: f, Name: seed.DevRegistry, ExposeToken: true}); err != nil {
		t.Fatal(err)
	}
	var tok struct{ AccessToken, LoginServer string }
	if err := json.Unmarshal(out.Bytes(), &tok); err != nil || tok.LoginServer != login || tok.AccessToken == "" {
		t.Fatalf("--expose-token printed %q (%v)", out, err)
	}
	if !strings.Contains(errb.String(), "WARNING: You can perform manual login") {
		t.Errorf("stderr: %q", errb)
	}
	// The exposed token is an ACR refresh token: it buys an access token at the registry.
	resp, err := http.PostForm(srv.URL()+"/oauth2/token", url.Values{"grant_type": {"refresh_token"}, "service": {login},
		"scope": {"repository:x:pull"}, "refresh_token": {tok.AccessToken}})
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("refresh token refused: %v %v", err, resp)
	}
	resp.Body.Close()

	bin := t.TempDir()
	record := filepath.Join(bin, "record")
	script := "#!/bin/sh\necho \"$@\" > " + record + "\ncat >> " + record + "\necho Login Succeeded\n"
	if err := os.WriteFile(filepath.Join(bin, "docker"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	out.Reset()
	if err := loginRun(ctx, &LoginOptions{F: f, Name: seed.DevRegistry}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(record)
	args, stdin, _ := strings.Cut(string(got), "\n")
	if args != "login "+login+" --username "+client.NullGUID+" --password-stdin" || !strings.HasPrefix(stdin, "eyJ") {
		t.Errorf("docker ran with %q and stdin %q", args, stdin)
	}
	if out.String() != "Login Succeeded\n" {
		t.Errorf("stdout %q", out)
	}
}
