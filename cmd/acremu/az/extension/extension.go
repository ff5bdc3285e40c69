// Package extension holds the az housekeeping commands Microsoft's articles call before the real work:
// `az upgrade` and `az extension`. acremu az has no extensions and nothing to upgrade, so they answer
// harmlessly.
package extension

import (
	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// NewCmdUpgrade returns `az upgrade`: acremu az is part of the acremu binary.
func NewCmdUpgrade(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "upgrade",
		Short: "Upgrade Azure CLI and extensions (acremu az is upgraded with acremu itself).",
		Args:  cmdutil.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			f.Warnf("acremu az is part of the acremu binary; upgrade acremu to upgrade it. Nothing to do.")
			return nil
		},
	}
	cmd.Flags().BoolP("yes", "y", false, "Do not prompt for checking release notes.")
	cmd.Flags().Bool("all", true, "Enable updating extensions as well.")
	return cmd
}

// NewCmdExtension returns the `az extension` group: no extension is ever installed.
func NewCmdExtension(f *cmdutil.Factory) *cobra.Command {
	remove := &cobra.Command{
		Use:   "remove",
		Short: "Remove an extension.",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmdutil.Require(cmd, "name"); err != nil {
				return err
			}
			name, _ := cmd.Flags().GetString("name")
			f.Warnf("The extension %s is not installed; acremu az has no extensions. Nothing to do.", name)
			return nil
		},
	}
	remove.Flags().StringP("name", "n", "", "Name of extension.")
	list := &cobra.Command{
		Use:   "list",
		Short: "List the installed extensions.",
		Args:  cmdutil.NoArgs,
		RunE:  func(*cobra.Command, []string) error { return f.Print([]any{}, nil) },
	}
	return cmdutil.NewGroup("extension", "Manage and update CLI extensions.", remove, list)
}
