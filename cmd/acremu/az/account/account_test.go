package account

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

func TestNewCmdLogin(t *testing.T) {
	for _, tt := range []struct {
		args string
		want LoginOptions
	}{
		{"-u dev@x -p pw", LoginOptions{Username: "dev@x", Password: "pw"}},
		{"--service-principal -u app -p secret --tenant t", LoginOptions{Username: "app", Password: "secret", Tenant: "t", ServicePrincipal: true}},
		{"--service-principal --username app --password secret -t t --allow-no-subscriptions", LoginOptions{Username: "app", Password: "secret", Tenant: "t", ServicePrincipal: true}},
	} {
		var got *LoginOptions
		root := &cobra.Command{Use: "az", SilenceErrors: true, SilenceUsage: true}
		root.AddCommand(NewCmdLogin(cmdutil.NewFactory(), func(o *LoginOptions) error { got = o; return nil }))
		root.SetArgs(append([]string{"login"}, strings.Fields(tt.args)...))
		root.SetOut(&bytes.Buffer{})
		if err := root.Execute(); err != nil {
			t.Errorf("%s: %v", tt.args, err)
			continue
		}
		got.F = nil
		if *got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.args, *got, tt.want)
		}
	}
}
