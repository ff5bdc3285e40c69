package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/acremu/acremu/emulator"
	"github.com/acremu/acremu/storage/seed"
)

type serveOptions struct {
	addr      string
	dataDir   string
	inMemory  bool
	seedFile  string
	tls       bool
	logLevel  string
	logFormat string
}

func newServeCmd() *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the registry data plane, ACR's token service and the emulated Entra ID on one listener",
		Long: `serve starts the emulator. With no --seed and an empty data dir it creates a development tenant,
subscription, resource group, the registry "myregistry" answering on --addr, an Owner user and a service
principal holding AcrPush, with fixed ids and secrets printed in the start-up banner.`,
		Args: cobra.NoArgs,
		PreRunE: func(cmd *cobra.Command, _ []string) error {
			return bindEnv(cmd.Flags())
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd.Context(), o, cmd.OutOrStdout()) },
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:5000", "address of the main listener (host:port; :0 picks a free port)")
	f.StringVar(&o.dataDir, "data-dir", "acremu-data", "directory for metadata (bbolt), blobs and the TLS CA")
	f.BoolVar(&o.inMemory, "in-memory", false, "keep nothing after exit (a temporary data dir), for test suites")
	f.StringVar(&o.seedFile, "seed", "", "YAML seed file declaring tenant, principals, registries and role assignments")
	f.BoolVar(&o.tls, "tls", false, "serve HTTPS with a certificate from a CA generated into the data dir (ca.pem)")
	f.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	f.StringVar(&o.logFormat, "log-format", "text", "log format: text or json")
	return cmd
}

func runServe(ctx context.Context, o *serveOptions, out io.Writer) error {
	start := time.Now()
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	hopts := &slog.HandlerOptions{Level: level}
	var handler slog.Handler = slog.NewTextHandler(os.Stderr, hopts)
	switch o.logFormat {
	case "text":
	case "json":
		handler = slog.NewJSONHandler(os.Stderr, hopts)
	default:
		return fmt.Errorf("--log-format: want text or json, got %q", o.logFormat)
	}
	log := slog.New(handler)
	em, err := emulator.New(emulator.Config{Addr: o.addr, DataDir: o.dataDir, InMemory: o.inMemory,
		SeedFile: o.seedFile, TLS: o.tls, Logger: log})
	if err != nil {
		return err
	}
	if err := em.Start(); err != nil {
		return err
	}
	printBanner(out, em, time.Since(start))
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return em.Shutdown(sctx)
}

func printBanner(w io.Writer, em *emulator.Emulator, took time.Duration) {
	st := em.DB().State()
	fmt.Fprintf(w, "acremu %s listening on %s (ready in %s)\n", version, em.URL(), took.Round(time.Millisecond))
	if em.CAFile != "" {
		fmt.Fprintf(w, "  TLS CA certificate: %s\n", em.CAFile)
	}
	fmt.Fprintf(w, "  tenant %s, subscription %s\n", st.Directory.TenantID, st.Directory.SubscriptionID)
	for _, r := range st.Registries() {
		addr := em.Addr()
		if a := em.RegistryAddr(r.Name); a != "" {
			addr = a
		}
		fmt.Fprintf(w, "  registry %-20s login server %-28s listener %s, mode %s\n", r.Name, r.LoginServer, addr, r.Mode)
		if r.AdminUserEnabled {
			fmt.Fprintf(w, "    admin user: %s / %s\n", r.Name, r.AdminPasswords[0])
		}
	}
	if p, ok := st.Principal(seed.DevSPObjectID); ok && p.AppID == seed.DevSPAppID {
		fmt.Fprintf(w, "development credentials (public, for the emulator only):\n")
		fmt.Fprintf(w, "  service principal (AcrPush): docker login %s -u %s -p %s\n", loginOf(em), seed.DevSPAppID, seed.DevSPSecret)
		fmt.Fprintf(w, "  user (Owner):                %s / %s\n", seed.DevUser, seed.DevUserPassword)
	}
}

func loginOf(em *emulator.Emulator) string {
	if r, ok := em.DB().State().Registry(seed.DevRegistry); ok {
		return r.LoginServer
	}
	return em.Addr()
}
