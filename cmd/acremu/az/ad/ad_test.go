package ad

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

func parse(cmd *cobra.Command, args string) error {
	root := &cobra.Command{Use: "az", SilenceErrors: true, SilenceUsage: true}
	root.SetFlagErrorFunc(cmdutil.FlagError)
	root.AddCommand(cmd)
	root.SetArgs(cmdutil.Rewrite(root, append([]string{cmd.Name()}, strings.Fields(args)...)))
	root.SetOut(&bytes.Buffer{})
	return root.Execute()
}

func TestNewCmdCreateForRBAC(t *testing.T) {
	for _, tt := range []struct {
		args, wantName, wantRole, wantScopes string
	}{
		{"--name ci --role AcrPush --scopes /subscriptions/s/a /subscriptions/s/b", "ci", "AcrPush", "/subscriptions/s/a,/subscriptions/s/b"},
		{"-n ci --scopes /s/a --role Reader", "ci", "Reader", "/s/a"},
		{"--display-name ci", "ci", "", ""},
	} {
		var got *SPOptions
		if err := parse(NewCmdCreateForRBAC(cmdutil.NewFactory(), func(o *SPOptions) error { got = o; return nil }), tt.args); err != nil {
			t.Errorf("%s: %v", tt.args, err)
			continue
		}
		if got.DisplayName != tt.wantName || got.Role != tt.wantRole || strings.Join(got.Scopes, ",") != tt.wantScopes {
			t.Errorf("%s: %+v", tt.args, got)
		}
	}
}

func TestNewCmdRequiredFlags(t *testing.T) {
	f := cmdutil.NewFactory()
	for _, tt := range []struct {
		cmd     *cobra.Command
		args    string
		wantErr string
	}{
		{NewCmdUserCreate(f, func(*UserOptions) error { return nil }), "--display-name x", "the following arguments are required: --password, --user-principal-name"},
		{NewCmdUserCreate(f, func(*UserOptions) error { return nil }), "--display-name x --password p --user-principal-name u@d --force-change-password-next-sign-in false", ""},
		{NewCmdGroupCreate(f, func(*GroupOptions) error { return nil }), "--display-name x", "the following arguments are required: --mail-nickname"},
		{NewCmdMemberAdd(f, func(*GroupOptions) error { return nil }), "--group g", "the following arguments are required: --member-id"},
		{NewCmdMemberAdd(f, func(*GroupOptions) error { return nil }), "-g g --member-id m", ""},
		{NewCmdSPShow(f, func(*SPOptions) error { return nil }), "", "the following arguments are required: --id"},
	} {
		err := parse(tt.cmd, tt.args)
		if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr) {
			t.Errorf("%s %s: %v, want %q", tt.cmd.Name(), tt.args, err, tt.wantErr)
		}
	}
}
