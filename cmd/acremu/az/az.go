// Package az is `acremu az`, a client of the acremu server that speaks the Azure CLI's language: the same
// commands, flags, output formats (--output, --query), error lines and exit codes, so that the commands of
// Microsoft's documentation run word for word against the emulator. The acremu binary also runs it when
// invoked under the name az (a symlink), so scripts need no change.
//
// The commands hold no logic beyond their flags: they call the server through package client and print
// through cmdutil.
package az

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/account"
	"github.com/acremu/acremu/cmd/acremu/az/acr"
	"github.com/acremu/acremu/cmd/acremu/az/ad"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
	"github.com/acremu/acremu/cmd/acremu/az/extension"
	"github.com/acremu/acremu/cmd/acremu/az/group"
	"github.com/acremu/acremu/cmd/acremu/az/identity"
	"github.com/acremu/acremu/cmd/acremu/az/role"
)

// envDefaultOutput is az's configuration variable for the default --output (AZURE_CORE_OUTPUT).
const envDefaultOutput = "AZURE_CORE_OUTPUT"

// NewCmdAz returns the az command tree over the factory's dependencies.
func NewCmdAz(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "az",
		Short: "An Azure CLI compatible client of the acremu server",
		Long: `az runs the Azure CLI commands that container registry authorization needs (login, group, acr,
role, ad, identity) against an acremu server: $ACREMU_URL or --endpoint, by default ` + "http://127.0.0.1:5000" + `.
Sign-in state lives in $ACREMU_CONFIG_DIR (default ~/.acremu).`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.ArbitraryArgs,
		PersistentPreRunE: func(*cobra.Command, []string) error {
			return f.Globals.CheckGlobals()
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.Usagef("'%s' is misspelled or not recognized by the system.", args[0])
			}
			return cmd.Help()
		},
	}
	defOutput := "json"
	if v, ok := f.LookupEnv(envDefaultOutput); ok && v != "" {
		defOutput = v
	}
	pf := cmd.PersistentFlags()
	pf.StringVarP(&f.Globals.Output, "output", "o", defOutput, "Output format.  Allowed values: json, jsonc, none, table, tsv, yaml, yamlc.")
	pf.StringVar(&f.Globals.Query, "query", "", "JMESPath query string. See http://jmespath.org/ for more information and examples.")
	pf.BoolVar(&f.Globals.OnlyShowErrors, "only-show-errors", false, "Only show errors, suppressing warnings.")
	pf.BoolVar(&f.Globals.Verbose, "verbose", false, "Increase logging verbosity. Use --debug for full debug logs.")
	pf.BoolVar(&f.Globals.Debug, "debug", false, "Increase logging verbosity to show all debug logs.")
	pf.StringVar(&f.Globals.Subscription, "subscription", "", "Name or ID of subscription.")
	pf.StringVar(&f.Globals.Endpoint, "endpoint", "", "URL of the acremu server (acremu's own option) [$"+cmdutil.EnvURL+"]; default: the one signed in to, else "+"http://127.0.0.1:5000")
	cmd.SetFlagErrorFunc(cmdutil.FlagError)
	cmd.CompletionOptions.DisableDefaultCmd = true
	cmd.AddCommand(
		account.NewCmdLogin(f, nil),
		account.NewCmdLogout(f, nil),
		account.NewCmdAccount(f),
		group.NewCmdGroup(f),
		acr.NewCmdACR(f),
		role.NewCmdRole(f),
		ad.NewCmdAD(f),
		identity.NewCmdIdentity(f),
		extension.NewCmdExtension(f),
		extension.NewCmdUpgrade(f),
	)
	return cmd
}

// Main runs one az command line (without the program name) and returns az's exit code, having written
// any error as az does: "ERROR: ..." on stderr.
func Main(f *cmdutil.Factory, args []string) int {
	root := NewCmdAz(f)
	root.SetArgs(cmdutil.Rewrite(root, args))
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := root.ExecuteContext(ctx); err != nil {
		return f.ReportError(err)
	}
	return cmdutil.ExitOK
}

// ExitError reports that the az command tree failed with an exit code, its error already written.
type ExitError struct{ Code int }

var _ error = (*ExitError)(nil)

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// ExitCode returns the code the process should exit with.
func (e *ExitError) ExitCode() int { return e.Code }

// NewCmdEntry returns the `az` subcommand of acremu's root: it hands its arguments, unparsed, to Main with
// the process's streams and returns an *ExitError when the command fails.
func NewCmdEntry() *cobra.Command {
	return &cobra.Command{
		Use:                "az",
		Short:              "An Azure CLI compatible client (also run when acremu is invoked as az)",
		DisableFlagParsing: true,
		RunE: func(_ *cobra.Command, args []string) error {
			if code := Main(cmdutil.NewFactory(), args); code != cmdutil.ExitOK {
				return &ExitError{Code: code}
			}
			return nil
		},
	}
}
