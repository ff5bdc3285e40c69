package acr

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os/exec"
	"strings"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/cmd/acremu/az/client"
	"github.com/acremu/acremu/cmd/acremu/az/cmdutil"
)

// Messages of az's _docker_utils.py and custom.py for `az acr login`.
const (
	msgAADTokenBase  = "Unable to get AAD authorization tokens with message"
	msgAdminUserBase = "Unable to get admin user credentials with message"
	msgNoCredentials = "Unable to authenticate using AAD or admin login credentials. Please specify both username and password in non-interactive mode."
	msgExposeHint    = "You can perform manual login using the provided access token below, for example: 'docker login loginServer -u " + client.NullGUID + " -p accessToken'"
	dockerCommand    = "docker"
)

// LoginOptions are the flags of `az acr login`.
type LoginOptions struct {
	F             *cmdutil.Factory
	Name          string
	ResourceGroup string
	Username      string
	Password      string
	ExposeToken   bool
}

// NewCmdLogin returns `az acr login`.
func NewCmdLogin(f *cmdutil.Factory, runF func(*LoginOptions) error) *cobra.Command {
	opts := &LoginOptions{F: f}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Log in to an Azure Container Registry through the Docker CLI.",
		Long: `Log in to a registry: the CLI trades the signed-in account's Entra token for an ACR refresh token at the
registry's /oauth2/exchange and runs 'docker login <login server> -u 00000000-0000-0000-0000-000000000000
--password-stdin' with it. --expose-token prints the token instead and needs no Docker.`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cmdutil.Require(cmd, "name"); err != nil {
				return err
			}
			var err error
			if opts.Name, err = checkName(f, opts.Name); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return loginRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Name, "name", "n", "", "The name of the container registry.")
	fl.StringVarP(&opts.ResourceGroup, "resource-group", "g", "", "Name of resource group (no longer required).")
	fl.StringVarP(&opts.Username, "username", "u", "", "The username used to log into a container registry.")
	fl.StringVarP(&opts.Password, "password", "p", "", "The password used to log into a container registry.")
	fl.BoolVarP(&opts.ExposeToken, "expose-token", "t", false, "Expose access token instead of automatically logging in through Docker CLI.")
	fl.String("suffix", "", "The tenant suffix in registry login server.")
	return cmd
}

func loginRun(ctx context.Context, opts *LoginOptions) error {
	if opts.ExposeToken && (opts.Username != "" || opts.Password != "") {
		return errors.New("`--expose-token` cannot be combined with `--username` or `--password`.")
	}
	if !opts.ExposeToken {
		if _, err := exec.LookPath(dockerCommand); err != nil {
			opts.F.Warnf("You may want to use 'az acr login -n %s --expose-token' to get a refresh token, which does not require Docker to be installed.", opts.Name)
			return errors.New("An error occurred: DOCKER_COMMAND_ERROR\nPlease verify if Docker client is installed and running.")
		}
	}
	c, err := opts.F.ARMClient()
	if err != nil {
		return err
	}
	cr, err := credentials(ctx, opts.F, c, opts.Name, opts.Username, opts.Password)
	if err != nil {
		return err
	}
	if opts.ExposeToken {
		opts.F.Warnf("%s", msgExposeHint)
		return opts.F.Print(map[string]any{"accessToken": cr.secret, "loginServer": cr.loginServer}, nil)
	}
	var stderr bytes.Buffer
	err = opts.F.Exec(ctx, dockerCommand, []string{"login", cr.loginServer, "--username", cr.username, "--password-stdin"},
		strings.NewReader(cr.secret), opts.F.IO.Out, &stderr)
	if msg := strings.TrimSpace(stderr.String()); msg != "" {
		opts.F.Warnf("%s", msg)
	}
	if err != nil {
		return errors.New("Login failed.")
	}
	return nil
}

// creds are what a client presents to a registry.
type creds struct {
	loginServer string
	username    string
	secret      string // ACR refresh token when username is the null GUID
}

// credentials follows az's _get_credentials for a login: the login server from ARM (or <name>.azurecr.io
// when ARM does not know the registry), then the given user name and password, else an ACR refresh token
// from the AAD exchange, else the admin user when it is enabled.
func credentials(ctx context.Context, f *cmdutil.Factory, c *client.Client, name, user, pass string) (creds, error) {
	if user == "" && pass != "" {
		return creds{}, errors.New("Please also specify username if password is specified.")
	}
	reg, rg, err := lookup(ctx, f, c, name, "")
	var nf *cmdutil.NotFoundError
	login := ""
	switch {
	case err == nil:
		login = client.Str(Shape(reg), "loginServer")
	case errors.As(err, &nf):
		login = strings.ToLower(name) + loginServerSuffix
		f.Warnf("%s\nUsing '%s' as the default registry login server.", err, login)
	default:
		return creds{}, err
	}
	if user != "" {
		if pass == "" {
			return creds{}, errors.New("Please specify both username and password in non-interactive mode.")
		}
		return creds{loginServer: login, username: user, secret: pass}, nil
	}
	f.Infof("Attempting to retrieve AAD refresh token...")
	refresh, aadErr := c.RegistryRefreshToken(ctx, login)
	if aadErr == nil {
		return creds{loginServer: login, username: client.NullGUID, secret: refresh}, nil
	}
	f.Warnf("%s: %s", msgAADTokenBase, aadErr)
	if reg == nil {
		f.Warnf("%s: %s", msgAdminUserBase, err)
		return creds{}, errors.New(msgNoCredentials)
	}
	if enabled, _ := Shape(reg)["adminUserEnabled"].(bool); !enabled {
		f.Warnf("%s: %s", msgAdminUserBase, "Admin user is disabled.")
		return creds{}, errors.New(msgNoCredentials)
	}
	f.Infof("Attempting with admin credentials...")
	id, err := registryPath(c, rg, name)
	if err != nil {
		return creds{}, err
	}
	v, err := c.ARM(ctx, http.MethodPost, id+"/listCredentials", client.APIVersionRegistries, nil)
	if err != nil {
		f.Warnf("%s: %s", msgAdminUserBase, err)
		return creds{}, errors.New(msgNoCredentials)
	}
	m, _ := v.(map[string]any)
	pw, _ := m["passwords"].([]any)
	if len(pw) == 0 {
		return creds{}, errors.New(msgNoCredentials)
	}
	p0, _ := pw[0].(map[string]any)
	return creds{loginServer: login, username: client.Str(m, "username"), secret: client.Str(p0, "value")}, nil
}

// accessToken follows az's get_access_credentials: the login credentials, then an access token for scope
// (refresh_token grant for the null-GUID user, password grant otherwise).
func accessToken(ctx context.Context, f *cmdutil.Factory, c *client.Client, name, user, pass, scope string) (login, token string, err error) {
	cr, err := credentials(ctx, f, c, name, user, pass)
	if err != nil {
		return "", "", err
	}
	if cr.username == client.NullGUID {
		token, err = c.RegistryAccessToken(ctx, cr.loginServer, cr.secret, scope)
	} else {
		token, err = c.RegistryPasswordToken(ctx, cr.loginServer, cr.username, cr.secret, scope)
	}
	return cr.loginServer, token, err
}
