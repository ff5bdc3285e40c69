// Package ad holds `az ad`: users, service principals and groups of the emulated directory, through its
// Microsoft Graph-shaped API.
package ad

import (
	"context"
	"fmt"
	"net/url"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// NewCmdAD returns the `az ad` group.
func NewCmdAD(f *cmdutil.Factory) *cobra.Command {
	return cmdutil.NewGroup("ad", "Manage Microsoft Entra ID (formerly known as Azure Active Directory, Azure AD, AAD) entities needed for Azure role-based access control (Azure RBAC) through Microsoft Graph API.",
		NewCmdUser(f), NewCmdSP(f), NewCmdGroup(f), NewCmdSignedInUser(f))
}

// NewCmdSignedInUser returns the `az ad signed-in-user` group.
func NewCmdSignedInUser(f *cmdutil.Factory) *cobra.Command {
	show := &cobra.Command{
		Use:   "show",
		Short: "Get the details for the currently logged-in user.",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := f.Client()
			if err != nil {
				return err
			}
			me, err := c.GraphGet(cmd.Context(), "/me")
			if err != nil {
				return err
			}
			return f.Print(me, nil)
		},
	}
	return cmdutil.NewGroup("signed-in-user", "View information about the current signed-in user in Microsoft Entra ID.", show)
}

// listFilter joins az's sub-filters with " and ".
func listFilter(parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += " and "
		}
		out += p
	}
	return out
}

func eq(prop, v string) string {
	if v == "" {
		return ""
	}
	return fmt.Sprintf("%s eq '%s'", prop, client.ODataEscape(v))
}

func startsWith(prop, v string) string {
	if v == "" {
		return ""
	}
	return fmt.Sprintf("startswith(%s,'%s')", prop, client.ODataEscape(v))
}

func printList(f *cmdutil.Factory, objs []client.Object) error {
	out := make([]any, len(objs))
	for i, o := range objs {
		out[i] = o
	}
	return f.Print(out, nil)
}

// objectURL is the @odata.id az sends to add a member (Graph's directoryObjects URL).
func objectURL(id string) string {
	return "https://graph.microsoft.com" + client.GraphVersion + "/directoryObjects/" + url.PathEscape(id)
}

// resolveGroup is az's _resolve_group: a GUID as is, else the one group whose display name starts with it.
func resolveGroup(ctx context.Context, c *client.Client, id string) (string, error) {
	if client.IsGUID(id) {
		return id, nil
	}
	gs, err := c.GraphList(ctx, "/groups", startsWith("displayName", id))
	if err != nil {
		return "", err
	}
	switch len(gs) {
	case 0:
		return "", fmt.Errorf("Group %s is not found in Graph ", id)
	case 1:
		return client.Str(gs[0], "id"), nil
	}
	return "", fmt.Errorf("More than 1 group objects has the display name of %s", id)
}

// resolveSP is az's _resolve_service_principal: by one of its names (appId), else an object id.
func resolveSP(ctx context.Context, c *client.Client, id string) (string, error) {
	sps, err := c.GraphList(ctx, "/servicePrincipals", "servicePrincipalNames/any(c:c eq '"+client.ODataEscape(id)+"')")
	if err != nil {
		return "", err
	}
	if len(sps) > 0 {
		return client.Str(sps[0], "id"), nil
	}
	if client.IsGUID(id) {
		return id, nil
	}
	return "", &cmdutil.NotFoundError{Msg: fmt.Sprintf("Service principal '%s' doesn't exist", id)}
}
