// Command acremu is a local emulator of Azure Container Registry for testing authorization: an OCI
// registry behind ACR's token service, with an emulated Entra ID and Azure RBAC/ABAC role assignments.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/acremu/acremu/cmd/acremu/az"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	// Invoked as az (a symlink to acremu), the binary is the az-compatible CLI.
	if name := strings.TrimSuffix(filepath.Base(os.Args[0]), filepath.Ext(os.Args[0])); name == "az" {
		os.Exit(az.Main(cmdutil.NewFactory(), os.Args[1:]))
	}
	if err := newRootCmd().Execute(); err != nil {
		var exit *az.ExitError
		if errors.As(err, &exit) {
			os.Exit(exit.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "acremu:", err)
		os.Exit(1)
	}
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "acremu",
		Short: "A local emulator of Azure Container Registry for testing authorization",
		Long: `acremu behaves, for docker login/push/pull and for the Azure tools, like an Azure Container
Registry in "RBAC Registry Permissions" (rbac) or "RBAC Registry + ABAC Repository Permissions"
(rbac-abac) mode, with an emulated Entra ID and Azure role assignments.

Every flag can also be set with an ACREMU_* environment variable: --data-dir is ACREMU_DATA_DIR.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCmd(), newVersionCmd(), az.NewCmdEntry())
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "acremu", version)
		},
	}
}

// bindEnv gives every flag of fs a default from ACREMU_<FLAG_NAME> when that variable is set.
func bindEnv(fs *pflag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		name := "ACREMU_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok && !f.Changed && err == nil {
			if serr := fs.Set(f.Name, v); serr != nil {
				err = fmt.Errorf("%s: %w", name, serr)
			}
		}
		f.Usage += " [$" + name + "]"
	})
	return err
}
