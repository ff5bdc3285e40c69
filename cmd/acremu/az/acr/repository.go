package acr

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// NewCmdRepository returns the `az acr repository` group.
func NewCmdRepository(f *cmdutil.Factory) *cobra.Command {
	return cmdutil.NewGroup("repository", "Manage repositories (image names) for Azure Container Registries.",
		NewCmdRepositoryList(f, nil), NewCmdRepositoryShow(f, nil), NewCmdRepositoryShowTags(f, nil), NewCmdRepositoryDelete(f, nil))
}

// RepositoryOptions are the flags of the `az acr repository` commands (each uses a subset).
type RepositoryOptions struct {
	F          *cmdutil.Factory
	Name       string
	Repository string
	Image      string
	Username   string
	Password   string
	Top        int
	OrderBy    string
	Detail     bool
	Yes        bool
}

func newRepositoryCmd(f *cmdutil.Factory, use, short string, runF, run func(context.Context, *RepositoryOptions) error) (*cobra.Command, *RepositoryOptions) {
	opts := &RepositoryOptions{F: f}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmdutil.Require(cmd, "name"); err != nil {
				return err
			}
			var err error
			if opts.Name, err = checkName(f, opts.Name); err != nil {
				return err
			}
			if opts.OrderBy != "" {
				if opts.OrderBy, err = cmdutil.Choice(cmd, "orderby", opts.OrderBy, "time_asc", "time_desc"); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Name, "name", "n", "", "The name of the container registry.")
	fl.StringVarP(&opts.Username, "username", "u", "", "The username used to log into a container registry.")
	fl.StringVarP(&opts.Password, "password", "p", "", "The password used to log into a container registry.")
	fl.StringP("resource-group", "g", "", "Name of resource group (no longer required).")
	fl.String("suffix", "", "The tenant suffix in registry login server.")
	return cmd, opts
}

func ctxRun(runF func(*RepositoryOptions) error) func(context.Context, *RepositoryOptions) error {
	if runF == nil {
		return nil
	}
	return func(_ context.Context, o *RepositoryOptions) error { return runF(o) }
}

// NewCmdRepositoryList returns `az acr repository list`.
func NewCmdRepositoryList(f *cmdutil.Factory, runF func(*RepositoryOptions) error) *cobra.Command {
	cmd, opts := newRepositoryCmd(f, "list", "List repositories in an Azure Container Registry.", ctxRun(runF), repositoryListRun)
	cmd.Flags().IntVar(&opts.Top, "top", 0, "Limit the number of items in the results.")
	return cmd
}

func repositoryListRun(ctx context.Context, opts *RepositoryOptions) error {
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
	login, tok, err := accessToken(ctx, opts.F, c, opts.Name, opts.Username, opts.Password, client.ScopeCatalog)
	if err != nil {
		return err
	}
	repos, err := c.RegistryList(ctx, login, "/acr/v1/_catalog", "repositories", tok)
	if err != nil {
		return err
	}
	return opts.F.Print(top(repos, opts.Top), nil)
}

// NewCmdRepositoryShowTags returns `az acr repository show-tags`.
func NewCmdRepositoryShowTags(f *cmdutil.Factory, runF func(*RepositoryOptions) error) *cobra.Command {
	cmd, opts := newRepositoryCmd(f, "show-tags", "Show tags for a repository in an Azure Container Registry.", ctxRun(runF), showTagsRun)
	fl := cmd.Flags()
	fl.StringVar(&opts.Repository, "repository", "", "The name of the repository.")
	fl.IntVar(&opts.Top, "top", 0, "Limit the number of items in the results.")
	fl.StringVar(&opts.OrderBy, "orderby", "", "Order the items in the results.  Allowed values: time_asc, time_desc.")
	fl.BoolVar(&opts.Detail, "detail", false, "Show detailed information.")
	return cmd
}

func showTagsRun(ctx context.Context, opts *RepositoryOptions) error {
	if opts.Repository == "" {
		return cmdutil.Usagef("the following arguments are required: --repository")
	}
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
	login, tok, err := accessToken(ctx, opts.F, c, opts.Name, opts.Username, opts.Password, client.RepositoryScope(opts.Repository, client.PermMetadataRead))
	if err != nil {
		return err
	}
	tags, err := c.RegistryList(ctx, login, "/acr/v1/"+opts.Repository+"/_tags", "tags", tok)
	if err != nil {
		return err
	}
	tags = top(tags, opts.Top)
	if opts.Detail {
		return opts.F.Print(tags, nil)
	}
	names := make([]any, 0, len(tags))
	for _, t := range tags {
		if m, ok := t.(map[string]any); ok {
			names = append(names, m["name"])
		}
	}
	return opts.F.Print(names, nil)
}

// NewCmdRepositoryShow returns `az acr repository show`.
func NewCmdRepositoryShow(f *cmdutil.Factory, runF func(*RepositoryOptions) error) *cobra.Command {
	cmd, opts := newRepositoryCmd(f, "show", "Get the attributes of a repository or image in an Azure Container Registry.", ctxRun(runF), repositoryShowRun)
	cmd.Flags().StringVarP(&opts.Repository, "repository", "", "", "The name of the repository.")
	cmd.Flags().StringVarP(&opts.Image, "image", "t", "", "The name of the image. May include a tag in the format 'name:tag' or digest in the format 'name@digest'.")
	return cmd
}

func repositoryShowRun(ctx context.Context, opts *RepositoryOptions) error {
	repo, tag, digest, err := target(opts)
	if err != nil {
		return err
	}
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
	login, tok, err := accessToken(ctx, opts.F, c, opts.Name, opts.Username, opts.Password, client.RepositoryScope(repo, client.PermMetadataRead))
	if err != nil {
		return err
	}
	path, key := "/acr/v1/"+repo, ""
	switch {
	case tag != "":
		path, key = path+"/_tags/"+tag, "tag"
	case digest != "":
		path, key = path+"/_manifests/"+digest, "manifest"
	}
	v, _, err := c.RegistryCall(ctx, http.MethodGet, login, path, nil, tok)
	if err != nil {
		return err
	}
	if key != "" {
		v, _ = v.(map[string]any)[key]
	}
	return opts.F.Print(v, nil)
}

// NewCmdRepositoryDelete returns `az acr repository delete`.
func NewCmdRepositoryDelete(f *cmdutil.Factory, runF func(*RepositoryOptions) error) *cobra.Command {
	cmd, opts := newRepositoryCmd(f, "delete", "Delete a repository or image in an Azure Container Registry.", ctxRun(runF), repositoryDeleteRun)
	cmd.Flags().StringVar(&opts.Repository, "repository", "", "The name of the repository to delete.")
	cmd.Flags().StringVarP(&opts.Image, "image", "t", "", "The name of the image to delete. May include a tag in the format 'name:tag' or digest in the format 'name@digest'.")
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "Do not prompt for confirmation.")
	return cmd
}

// repositoryDeleteRun deletes a repository (DELETE /acr/v1/{repo}) or one image (DELETE
// /v2/{repo}/manifests/{digest}).
func repositoryDeleteRun(ctx context.Context, opts *RepositoryOptions) error {
	repo, tag, digest, err := target(opts)
	if err != nil {
		return err
	}
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
	login, tok, err := accessToken(ctx, opts.F, c, opts.Name, opts.Username, opts.Password, client.RepositoryScope(repo, client.PermDeleteRead))
	if err != nil {
		return err
	}
	if tag == "" && digest == "" {
		if !opts.Yes {
			if err := opts.F.Confirm(fmt.Sprintf("Are you sure you want to delete the repository '%s' and all images under it?", repo)); err != nil {
				return err
			}
		}
		v, _, err := c.RegistryCall(ctx, http.MethodDelete, login, "/acr/v1/"+repo, nil, tok)
		if err != nil {
			return err
		}
		return opts.F.Print(v, nil)
	}
	if digest == "" {
		v, _, err := c.RegistryCall(ctx, http.MethodGet, login, "/acr/v1/"+repo+"/_tags/"+tag, nil, tok)
		if err != nil {
			return err
		}
		t, _ := v.(map[string]any)["tag"].(map[string]any)
		if digest = client.Str(t, "digest"); digest == "" {
			return fmt.Errorf("Could not get the manifest digest for image '%s:%s'.", repo, tag)
		}
	}
	if !opts.Yes {
		if err := opts.F.Confirm(fmt.Sprintf("This operation will delete the manifest '%s' and all the following images: '%s'. Are you sure you want to continue?", digest, repo+":"+tag)); err != nil {
			return err
		}
	}
	v, _, err := c.RegistryCall(ctx, http.MethodDelete, login, "/v2/"+repo+"/manifests/"+digest, nil, tok)
	if err != nil {
		return err
	}
	return opts.F.Print(v, nil)
}

// target reads --repository or --image (name, name:tag or name@digest), as az's _parse_image_name.
func target(opts *RepositoryOptions) (repo, tag, digest string, err error) {
	if (opts.Repository == "") == (opts.Image == "") {
		return "", "", "", errors.New("Usage error: --image IMAGE | --repository REPOSITORY")
	}
	if opts.Repository != "" {
		return opts.Repository, "", "", nil
	}
	img := opts.Image
	if r, d, ok := strings.Cut(img, "@"); ok {
		return r, "", d, nil
	}
	if !strings.Contains(img, ":") {
		return img, "latest", "", nil
	}
	parts := strings.Split(img, ":")
	if len(parts) != 2 {
		return "", "", "", errors.New("The name of the image may include a tag in the format 'name:tag' or digest in the format 'name@digest'.")
	}
	return parts[0], parts[1], "", nil
}

func top(items []any, n int) []any {
	if n > 0 && n < len(items) {
		return items[:n]
	}
	if items == nil {
		return []any{}
	}
	return items
}
