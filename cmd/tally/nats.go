package main

import (
	"fmt"
	"strings"

	"github.com/tallycredit/tally/exchange"
)

// cmdNats runs an embedded NATS server with JetStream until SIGINT or
// SIGTERM: the exchange's message system in one process, for the demo and
// for operators who want no other program. Three of them with
// --cluster-addr and --routes make a cluster (docs/OPERATIONS.md shows the
// same with the stock nats-server).
func cmdNats(e *env, args []string) error {
	fs := e.flags("nats", "--store DIR [--addr 127.0.0.1:4222]")
	var cfg exchange.ServerConfig
	var routes string
	fs.StringVar(&cfg.StoreDir, "store", "", e.text("cli.flag.nats_store"))
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:4222", e.text("cli.flag.nats_addr"))
	fs.StringVar(&cfg.Name, "name", "", e.text("cli.flag.nats_name"))
	fs.StringVar(&cfg.ClusterName, "cluster-name", "", e.text("cli.flag.nats_cluster_name"))
	fs.StringVar(&cfg.ClusterAddr, "cluster-addr", "", e.text("cli.flag.nats_cluster_addr"))
	fs.StringVar(&routes, "routes", "", e.text("cli.flag.nats_routes"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if cfg.StoreDir == "" {
		return e.fieldErrorf("--store", "cli.nats.want_store")
	}
	for _, r := range strings.Split(routes, ",") {
		if r = strings.TrimSpace(r); r != "" {
			cfg.Routes = append(cfg.Routes, r)
		}
	}
	srv, err := exchange.StartServer(cfg)
	if err != nil {
		return err
	}
	defer srv.Shutdown()
	fmt.Fprintln(e.stdout, e.text("cli.nats.serving", srv.ClientURL(), cfg.StoreDir))
	<-e.ctx.Done()
	return nil
}
