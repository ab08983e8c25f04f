package exchange

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// ServerConfig is an embedded NATS server with JetStream: alone for the
// demo, the tests and `tally nats`, or one node of a cluster.
type ServerConfig struct {
	StoreDir string // where JetStream keeps its streams; required
	Addr     string // HOST:PORT of clients; port 0 picks a free one; 127.0.0.1:0 when empty
	Name     string // the server's name, unique in a cluster; NATS makes one up when empty

	// A cluster: every node has the same ClusterName, its own ClusterAddr,
	// and Routes to the others (nats://HOST:PORT of their cluster
	// addresses). No cluster when ClusterName is empty.
	ClusterName string
	ClusterAddr string
	Routes      []string

	Ready time.Duration // how long to wait for the server to take clients; 10 s when zero
}

// Server is a running embedded NATS server.
type Server struct {
	ns *server.Server
}

// StartServer starts the server in this process and returns once it takes
// clients.
func StartServer(cfg ServerConfig) (*Server, error) {
	if cfg.StoreDir == "" {
		return nil, fmt.Errorf("nats server: no store folder")
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	host, port, err := hostPort(cfg.Addr)
	if err != nil {
		return nil, err
	}
	opts := &server.Options{
		ServerName: cfg.Name,
		Host:       host,
		Port:       port,
		JetStream:  true,
		StoreDir:   cfg.StoreDir,
		NoSigs:     true, // signals belong to the process, not to the server inside it
		NoLog:      true,
	}
	if cfg.ClusterName != "" {
		chost, cport, err := hostPort(cfg.ClusterAddr)
		if err != nil {
			return nil, err
		}
		opts.Cluster = server.ClusterOpts{Name: cfg.ClusterName, Host: chost, Port: cport}
		for _, r := range cfg.Routes {
			u, err := url.Parse(r)
			if err != nil {
				return nil, fmt.Errorf("nats server: route %q: %w", r, err)
			}
			opts.Routes = append(opts.Routes, u)
		}
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("nats server: %w", err)
	}
	ns.Start()
	wait := cfg.Ready
	if wait <= 0 {
		wait = 10 * time.Second
	}
	if !ns.ReadyForConnections(wait) {
		ns.Shutdown()
		return nil, fmt.Errorf("nats server: not ready for clients within %s", wait)
	}
	return &Server{ns: ns}, nil
}

// ClientURL is the nats:// address clients connect to.
func (s *Server) ClientURL() string { return s.ns.ClientURL() }

// Shutdown stops the server and waits until it has stopped; what
// JetStream stored stays in the store folder.
func (s *Server) Shutdown() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
}

// hostPort splits HOST:PORT; port 0 becomes NATS's "any free port".
func hostPort(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("nats server: address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("nats server: address %q: bad port", addr)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	return host, port, nil
}
