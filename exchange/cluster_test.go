package exchange_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tallycredit/tally/exchange"
)

// freePort is a TCP port nobody listens on just now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// A three-node JetStream cluster keeps every change, once, through the
// loss of a node in the middle of publishing.
func TestAClusterLosingANodeLosesNoChange(t *testing.T) {
	const n = 3000
	var routes []string
	var clusterAddrs []string
	for range 3 {
		addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
		clusterAddrs = append(clusterAddrs, addr)
		routes = append(routes, "nats://"+addr)
	}
	var nodes []*exchange.Server
	var urls []string
	for i := range 3 {
		s := mustServer(t, exchange.ServerConfig{StoreDir: t.TempDir(), Name: fmt.Sprintf("n%d", i+1),
			ClusterName: "tally", ClusterAddr: clusterAddrs[i], Routes: routes})
		nodes = append(nodes, s)
		urls = append(urls, s.ClientURL())
	}
	// The court talks to the first node, the airline to the second, each
	// going to another when its node goes.
	courtConn := mustConnect(t, strings.Join(urls, ","))
	airlineConn := mustConnect(t, strings.Join([]string{urls[1], urls[2], urls[0]}, ","))

	court, key := mustSigner(t, "court")
	out := &outbox{name: "court", receivers: []string{"airline"}}
	out.add("airline", n)
	pub, err := exchange.NewPublisher(out, court, courtConn, exchange.PublisherOptions{Replicas: 3, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	in := newInbox("court")
	r, err := exchange.NewReceiver(in, "airline", mustTrust(t, key), airlineConn, nil,
		exchange.ReceiverOptions{Replicas: 3, Logger: quiet, RetryDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	run(t, pub.Run)
	run(t, r.Run)
	waitFor(t, "a first part published", func() bool { return out.publishedCount() >= n/5 })
	// The node that leads the stream goes down.
	leader := streamLeader(t, courtConn)
	before := out.publishedCount()
	var gone int
	for i := range nodes {
		if fmt.Sprintf("n%d", i+1) == leader {
			gone = i
			nodes[i].Shutdown()
		} else {
			t.Cleanup(nodes[i].Shutdown)
		}
	}
	waitFor(t, "every share published", func() bool { return out.publishedCount() == n })
	waitFor(t, "every change applied", func() bool { got, _ := in.count(); return got == n })
	time.Sleep(200 * time.Millisecond) // a late duplicate would show now
	in.appliedInOrderOnce(t, n)
	t.Logf("n%d, the stream's leader, went down after %d of %d; the inbox saw %d changes ahead of their turn", gone+1, before, n, in.gaps)
}

func streamLeader(t *testing.T, nc *nats.Conn) string {
	t.Helper()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	s, err := js.Stream(context.Background(), exchange.Stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.Cluster == nil || info.Cluster.Leader == "" || len(info.Cluster.Replicas) != 2 {
		t.Fatalf("stream cluster %+v: want a leader and two replicas", info.Cluster)
	}
	return info.Cluster.Leader
}
