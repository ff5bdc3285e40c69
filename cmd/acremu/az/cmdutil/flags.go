package cmdutil

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Flag annotations that teach Rewrite az's argparse syntax.
const (
	// annotationMulti marks a flag that takes several values after one option (argparse nargs='+').
	annotationMulti = "acremu.az/nargs-plus"
	// annotationTriState marks a boolean that may stand alone or take true/false (az's three-state flag).
	annotationTriState = "acremu.az/three-state"
)

// Multi makes a string-slice flag take every following word that does not start with "-", as
// `--tags a=b c=d` and `--scopes s1 s2` do in az.
func Multi(fs *pflag.FlagSet, name string) {
	_ = fs.SetAnnotation(name, annotationMulti, []string{"true"})
}

// TriState is a boolean option that is unset, true or false.
type TriState struct {
	set   bool
	value bool
}

var _ pflag.Value = (*TriState)(nil)

// Set parses az's boolean words.
func (t *TriState) Set(s string) error {
	switch strings.ToLower(s) {
	case "true", "t", "yes", "y", "1", "on":
		t.set, t.value = true, true
	case "false", "f", "no", "n", "0", "off":
		t.set, t.value = true, false
	default:
		return fmt.Errorf("invalid choice: '%s' (choose from 'false', 'true')", s)
	}
	return nil
}

// String prints the value.
func (t *TriState) String() string {
	if !t.set {
		return ""
	}
	return fmt.Sprint(t.value)
}

// Type names the value in help.
func (t *TriState) Type() string { return "bool" }

// Ptr returns nil when unset, else the value.
func (t *TriState) Ptr() *bool {
	if !t.set {
		return nil
	}
	v := t.value
	return &v
}

// TriStateVar adds a three-state boolean flag: `--flag`, `--flag true` and `--flag false` all parse.
func TriStateVar(fs *pflag.FlagSet, t *TriState, name, short, usage string) {
	fs.VarP(t, name, short, usage+" Allowed values: false, true.")
	fs.Lookup(name).NoOptDefVal = "true"
	_ = fs.SetAnnotation(name, annotationTriState, []string{"true"})
}

// Rewrite turns az's argparse syntax into what cobra parses, for the command args select in root: the
// values after a multi-value option each get the option repeated, and a three-state option followed by a
// boolean word is joined to it with "=".
func Rewrite(root *cobra.Command, args []string) []string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd == nil {
		return args
	}
	lookup := func(tok string) *pflag.Flag {
		name, _, hasValue := strings.Cut(tok, "=")
		if hasValue {
			return nil
		}
		var f *pflag.Flag
		switch {
		case strings.HasPrefix(name, "--"):
			f = cmd.Flags().Lookup(name[2:])
		case strings.HasPrefix(name, "-") && len(name) == 2:
			f = cmd.Flags().ShorthandLookup(name[1:])
		}
		return f
	}
	var out []string
	for i := 0; i < len(args); i++ {
		tok := args[i]
		out = append(out, tok)
		if tok == "--" {
			return append(out, args[i+1:]...)
		}
		f := lookup(tok)
		if f == nil {
			continue
		}
		switch {
		case f.Annotations[annotationMulti] != nil:
			for n := 0; i+1 < len(args) && !strings.HasPrefix(args[i+1], "-"); n++ {
				if n > 0 {
					out = append(out, tok)
				}
				out = append(out, args[i+1])
				i++
			}
		case f.Annotations[annotationTriState] != nil && i+1 < len(args):
			if err := new(TriState).Set(args[i+1]); err == nil {
				out[len(out)-1] = tok + "=" + args[i+1]
				i++
			}
		}
	}
	return out
}

// Require fails, as argparse does, when required flags are missing: "the following arguments are
// required: --name/-n, --resource-group/-g". A name "a|b" is one argument with two spellings.
func Require(cmd *cobra.Command, names ...string) error {
	var missing []string
	for _, n := range names {
		changed := false
		var spell []string
		for _, alt := range strings.Split(n, "|") {
			if f := cmd.Flags().Lookup(alt); f != nil && f.Changed {
				changed = true
			}
			spell = append(spell, FlagName(cmd, alt))
		}
		if !changed {
			missing = append(missing, strings.Join(spell, "/"))
		}
	}
	if len(missing) > 0 {
		return Usagef("the following arguments are required: %s", strings.Join(missing, ", "))
	}
	return nil
}

// FlagName spells a flag as az's messages do: --long/-s.
func FlagName(cmd *cobra.Command, name string) string {
	f := cmd.Flags().Lookup(name)
	if f != nil && f.Shorthand != "" {
		return "--" + name + "/-" + f.Shorthand
	}
	return "--" + name
}

// Choice fails when value is not one of choices (compared without case, as az's enum arguments do), and
// otherwise returns the choice as spelled in choices.
func Choice(cmd *cobra.Command, flag, value string, choices ...string) (string, error) {
	for _, c := range choices {
		if strings.EqualFold(c, value) {
			return c, nil
		}
	}
	return "", Usagef("argument %s: invalid choice: '%s' (choose from '%s')", FlagName(cmd, flag), value, strings.Join(choices, "', '"))
}

// NoArgs refuses positional arguments as argparse does.
func NoArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return Usagef("unrecognized arguments: %s", strings.Join(args, " "))
	}
	return nil
}

// FlagError translates pflag's parse errors into argparse's wording.
func FlagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "unknown flag: "):
		return Usagef("unrecognized arguments: %s", strings.TrimPrefix(msg, "unknown flag: "))
	case strings.HasPrefix(msg, "unknown shorthand flag: "):
		_, rest, _ := strings.Cut(msg, " in ")
		return Usagef("unrecognized arguments: %s", rest)
	case strings.HasPrefix(msg, "flag needs an argument: "):
		// "flag needs an argument: --name" or "flag needs an argument: 'n' in -n"
		name := strings.TrimPrefix(msg, "flag needs an argument: ")
		if short, _, ok := strings.Cut(name, " in -"); ok {
			if f := cmd.Flags().ShorthandLookup(strings.Trim(short, "'")); f != nil {
				name = f.Name
			}
		}
		return Usagef("argument %s: expected one argument", FlagName(cmd, strings.TrimLeft(name, "-")))
	case strings.HasPrefix(msg, "invalid argument "):
		// invalid argument "x" for "--flag" flag: reason
		if i := strings.Index(msg, `for "`); i > 0 {
			rest := msg[i+5:]
			if j := strings.Index(rest, `"`); j > 0 {
				flags := strings.Split(rest[:j], ", ")
				name := strings.TrimLeft(flags[len(flags)-1], "-")
				_, reason, _ := strings.Cut(rest, ": ")
				return Usagef("argument %s: %s", FlagName(cmd, name), reason)
			}
		}
	}
	return &UsageError{Msg: msg}
}

// ParseTags reads az's space-separated key[=value] tags; "" clears them.
func ParseTags(words []string) map[string]string {
	tags := map[string]string{}
	for _, w := range words {
		if w == "" {
			continue
		}
		k, v, _ := strings.Cut(w, "=")
		tags[k] = v
	}
	return tags
}
