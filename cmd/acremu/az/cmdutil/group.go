package cmdutil

import (
	"github.com/spf13/cobra"
)

// NewGroup returns a command group (az's "group" help type): it runs nothing itself, shows its help when
// called alone and refuses unknown subcommands the way az does.
func NewGroup(use, short string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return Usagef("'%s' is misspelled or not recognized by the system.", args[0])
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(subs...)
	return cmd
}
