package cmdutil

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// testTree is a root with one subcommand holding a multi-value, a three-state and a plain flag.
func testTree() (*cobra.Command, *struct {
	tags   []string
	admin  TriState
	name   string
	called bool
}) {
	got := &struct {
		tags   []string
		admin  TriState
		name   string
		called bool
	}{}
	root := &cobra.Command{Use: "az", SilenceErrors: true, SilenceUsage: true}
	root.PersistentFlags().StringP("output", "o", "json", "")
	sub := &cobra.Command{Use: "create", Args: NoArgs, RunE: func(cmd *cobra.Command, _ []string) error {
		got.called = true
		return Require(cmd, "name", "tags|ids")
	}}
	fl := sub.Flags()
	fl.StringSliceVar(&got.tags, "tags", nil, "")
	Multi(fl, "tags")
	fl.StringSlice("ids", nil, "")
	TriStateVar(fl, &got.admin, "admin-enabled", "", "")
	fl.StringVarP(&got.name, "name", "n", "", "")
	root.AddCommand(NewGroup("acr", "", sub))
	root.SetFlagErrorFunc(FlagError)
	return root, got
}

func TestRewrite(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"acr create --tags a=b c=d -n x", "acr create --tags a=b --tags c=d -n x"},
		{"acr create -n x --tags a=b", "acr create -n x --tags a=b"},
		{"acr create --admin-enabled true -n x", "acr create --admin-enabled=true -n x"},
		{"acr create --admin-enabled -n x", "acr create --admin-enabled -n x"},
		{"acr create --admin-enabled false", "acr create --admin-enabled=false"},
		{"acr create -o tsv --tags a -- b", "acr create -o tsv --tags a -- b"},
	} {
		root, _ := testTree()
		if got := strings.Join(Rewrite(root, strings.Fields(tt.in)), " "); got != tt.want {
			t.Errorf("Rewrite(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseAzSyntax(t *testing.T) {
	for _, tt := range []struct {
		args      string
		wantErr   string
		wantTags  string
		wantAdmin string
	}{
		{args: "acr create -n x --tags a=b c --admin-enabled false", wantTags: "a=b,c", wantAdmin: "false"},
		{args: "acr create -n x --tags a --admin-enabled", wantTags: "a", wantAdmin: "true"},
		{args: "acr create --tags a", wantErr: "the following arguments are required: --name/-n"},
		{args: "acr create -n x", wantErr: "the following arguments are required: --tags/--ids"},
		{args: "acr create -n x --tags a --bogus", wantErr: "unrecognized arguments: --bogus"},
		{args: "acr create -n x --tags a stray", wantTags: "a,stray"},
		{args: "acr create -n", wantErr: "argument --name/-n: expected one argument"},
		{args: "acr create -n x --tags a --admin-enabled=maybe", wantErr: "argument --admin-enabled: invalid choice: 'maybe' (choose from 'false', 'true')"},
		{args: "acr nope", wantErr: "'nope' is misspelled or not recognized by the system."},
	} {
		root, got := testTree()
		root.SetArgs(Rewrite(root, strings.Fields(tt.args)))
		err := root.Execute()
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr || ExitCode(err) != ExitUsage {
				t.Errorf("%s: error %v (exit %d), want usage error %q", tt.args, err, ExitCode(err), tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.args, err)
			continue
		}
		if strings.Join(got.tags, ",") != tt.wantTags || got.admin.String() != tt.wantAdmin {
			t.Errorf("%s: tags %v admin %q, want %s %s", tt.args, got.tags, got.admin.String(), tt.wantTags, tt.wantAdmin)
		}
	}
}

func TestChoiceAndTags(t *testing.T) {
	cmd := &cobra.Command{Use: "x"}
	cmd.Flags().String("sku", "", "")
	if got, err := Choice(cmd, "sku", "premium", "Basic", "Standard", "Premium"); err != nil || got != "Premium" {
		t.Errorf("Choice: %q %v", got, err)
	}
	if _, err := Choice(cmd, "sku", "Gold", "Basic", "Premium"); err == nil || err.Error() != "argument --sku: invalid choice: 'Gold' (choose from 'Basic', 'Premium')" {
		t.Errorf("Choice: %v", err)
	}
	if got := ParseTags([]string{"a=b", "c", "d=e=f", ""}); len(got) != 3 || got["a"] != "b" || got["c"] != "" || got["d"] != "e=f" {
		t.Errorf("ParseTags: %v", got)
	}
}
