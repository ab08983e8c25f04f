package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally/internal/logtest"
)

// background runs one long-running command line (serve, verifier, nats)
// until the test ends or stop is called, and returns the first line it
// prints; the rest of its output is discarded.
func background(t *testing.T, db string, args ...string) (first string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		if db != "" {
			args = append(args, "--db", db)
		}
		var errOut strings.Builder
		if code := run(ctx, args, strings.NewReader(""), w, &errOut); code != 0 && ctx.Err() == nil {
			t.Errorf("%s exited %d: %s", args[0], code, errOut.String())
		}
		w.Close()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("%s printed nothing: %v", args[0], err)
	}
	go io.Copy(io.Discard, out)
	stop = func() {
		cancel()
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			t.Errorf("%s did not stop within 30s", args[0])
		}
	}
	t.Cleanup(stop)
	return line, stop
}

// checkAt asks a verifier about the defaulter and returns the status and
// the answer or problem.
func checkAt(t *testing.T, url, token, lang string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/api/v1/checks", strings.NewReader(`{"subject": "360426199101010071", "name": "张三", "measure": "air-travel"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

// eventually waits, with a deadline far above the goal (CI machines are
// slow and shared: speed is measured in bench/exchangebench, not here),
// for cond, and returns how long it took.
func eventually(t *testing.T, what string, cond func() bool) time.Duration {
	t.Helper()
	began := time.Now()
	for !cond() {
		if time.Since(began) > 60*time.Second {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(began)
}

// The court-to-airline story: a court lists a judgment defaulter and the
// airline's verifier refuses him; the court removes the entry and the
// airline allows him; the subject's access log at the court shows both
// deliveries; cut off from NATS, the airline answers "cannot answer"
// (503, Chinese by default), never "allowed".
func TestCourtToAirline(t *testing.T) {
	t.Run("one NATS server", func(t *testing.T) {
		url, stop := natsNode(t)
		courtToAirline(t, url, "1", func() {}, stop)
	})
	t.Run("a stock nats-server", func(t *testing.T) {
		url, stop := stockNATS(t)
		courtToAirline(t, url, "1", func() {}, stop)
	})
	t.Run("a three-node cluster losing a node", func(t *testing.T) {
		urls, stops := natsCluster(t, 3)
		courtToAirline(t, strings.Join(urls, ","), "3", stops[0], func() {
			for _, stop := range stops[1:] {
				stop()
			}
		})
	})
}

// stockNATS runs the nats-server program (Debian's nats-server) with
// JetStream, as an operator who keeps NATS apart would.
func stockNATS(t *testing.T) (string, func()) {
	t.Helper()
	bin, err := exec.LookPath("nats-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("nats-server is not installed (apt-get install nats-server; .ci/run does)")
		}
		t.Skip("nats-server is not installed")
	}
	port := freePort(t)
	cmd := exec.Command(bin, "-js", "-a", "127.0.0.1", "-p", strconv.Itoa(port), "-sd", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}
	t.Cleanup(stop)
	url := "nats://127.0.0.1:" + strconv.Itoa(port)
	eventually(t, "nats-server takes clients", func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	return url, stop
}

// natsNode runs `tally nats` and returns its client URL.
func natsNode(t *testing.T, args ...string) (string, func()) {
	t.Helper()
	line, stop := background(t, "", append([]string{"nats", "--store", filepath.Join(t.TempDir(), "js")}, args...)...)
	url := regexp.MustCompile(`nats://127\.0\.0\.1:\d+`).FindString(line)
	if url == "" {
		t.Fatalf("tally nats printed %q, want its address", line)
	}
	return url, stop
}

// natsCluster runs n `tally nats` nodes routed to each other as one
// JetStream cluster.
func natsCluster(t *testing.T, n int) (urls []string, stops []func()) {
	t.Helper()
	routes := make([]string, n)
	for i := range routes {
		routes[i] = "127.0.0.1:" + strconv.Itoa(freePort(t))
	}
	for i := range n {
		var others []string
		for j, r := range routes {
			if j != i {
				others = append(others, "nats://"+r)
			}
		}
		url, stop := natsNode(t, "--addr", "127.0.0.1:0", "--name", "n"+strconv.Itoa(i+1), "--cluster-name", "tally",
			"--cluster-addr", routes[i], "--routes", strings.Join(others, ","))
		urls, stops = append(urls, url), append(stops, stop)
	}
	return urls, stops
}

// freePort returns a TCP port nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// courtToAirline runs the story on the NATS servers at natsURL with the
// given stream replicas; loseOne is called between the listing and the
// removal, and cutOff stops what is left.
func courtToAirline(t *testing.T, natsURL, replicas string, loseOne, cutOff func()) {
	agreement := "../../examples/agreements/court-to-airline.yaml"

	court := newCLI(t)
	court.ok("init", "--name", "court")
	court.ok("agreements", "add", agreement)
	key := strings.TrimSpace(court.ok("exchange", "key"))
	if !regexp.MustCompile(`^court\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$`).MatchString(key) {
		t.Fatalf("tally exchange key: %q, want a note verifier key court+hash+base64", key)
	}
	airline := newCLI(t)
	airline.ok("init", "--name", "airline")
	airline.ok("agreements", "add", agreement)
	var tok struct{ Token string }
	if err := json.Unmarshal([]byte(airline.ok("tokens", "create", "--name", "gate-7", "--role", "verifier", "--json")), &tok); err != nil {
		t.Fatal(err)
	}

	servedAtLine := func(line string) string {
		url := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(line)
		if url == "" {
			t.Fatalf("printed %q, want the address", line)
		}
		return url
	}
	courtLine, _ := background(t, court.db, "serve", "--addr", "127.0.0.1:0", "--nats", natsURL, "--nats-replicas", replicas)
	// The airline also audits the court's transparency log: its checks
	// wait on that audit too.
	logKey := strings.TrimSpace(court.ok("log", "key"))
	line, _ := background(t, airline.db, "verifier", "--addr", "127.0.0.1:0", "--nats", natsURL, "--nats-replicas", replicas,
		"--trust", key, "--max-lag", "10s", "--rate", "100000", "--burst", "100000",
		"--audit-log", servedAtLine(courtLine), "--audit-key", logKey)
	airlineURL := servedAtLine(line)

	answer := func() string {
		status, body := checkAt(t, airlineURL, tok.Token, "en")
		if status != 200 {
			return ""
		}
		return body["answer"].(string)
	}
	eventually(t, "the airline hears the court and answers", func() bool { return answer() == "allowed" })

	// The court lists him at the command line while its server runs.
	court.ok("lists", "add", "--list", "judgment-defaulters", "--subject", "360426199101010071", "--name", "张三",
		"--case", "(2026)鲁1082执77号", "--court", "荣成市人民法院", "--decided", "2026-10-01", "--notice", "2026-10-20",
		"--grounds", "able to perform but refuses", "--basis", "SPC Provisions art. 1(1)")
	took := eventually(t, "the airline refuses the listed defaulter", func() bool { return answer() == "denied" })
	t.Logf("listing reached the airline in %s", took)
	loseOne()

	court.ok("lists", "remove", "--list", "judgment-defaulters", "--case", "(2026)鲁1082执77号", "--reason", "performed",
		"--note", "(2026)鲁1082执77号之一", "--by", "clerk-2")
	took = eventually(t, "the airline allows him again", func() bool { return answer() == "allowed" })
	t.Logf("removal reached the airline in %s", took)

	access := court.ok("access", "360426199101010071", "--json")
	if n := strings.Count(access, "airline"); n < 2 {
		t.Errorf("the subject's access log at the court names the airline %d times, want both deliveries:\n%s", n, access)
	}

	// Heartbeats keep it answering while nothing changes, past --max-lag.
	time.Sleep(12 * time.Second)
	if got := answer(); got != "allowed" {
		t.Errorf("after 12 s without a change (max-lag 10 s): %q, want allowed: heartbeats keep the verifier current", got)
	}
	// tally check on the airline's database answers while the stream is
	// current, from the heartbeats the verifier keeps in it.
	if code, out, errOut := airline.run("check", "360426199101010071", "--measure", "air-travel", "--max-lag", "10s"); code != 0 {
		t.Errorf("tally check on the airline while current: exit %d %q %q, want 0 (allowed)", code, out, errOut)
	}
	// Cut off: no word from the court for longer than --max-lag.
	cutOff()
	eventually(t, "the airline stops answering", func() bool { status, _ := checkAt(t, airlineURL, tok.Token, "en"); return status == 503 })
	status, p := checkAt(t, airlineURL, tok.Token, "")
	if status != 503 || p["code"] != "unavailable" || !strings.Contains(p["detail"].(string), "court") || !strings.Contains(p["detail"].(string), "无法答复") {
		t.Errorf("a check while cut off: %d %v, want 503 unavailable saying in Chinese that nothing was heard from the court", status, p)
	}
	if code, out, errOut := airline.run("check", "360426199101010071", "--measure", "air-travel", "--max-lag", "10s"); code != checkFailed || !strings.Contains(errOut, "nothing heard from court") {
		t.Errorf("tally check on the airline while cut off: exit %d %q %q, want %d and the reason", code, out, errOut, checkFailed)
	}
}

// A verifier that could not fail closed, or could not tell whom to trust,
// does not start; each refusal names its flag.
func TestVerifierRefusesToStartBlind(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	if code, _, errOut := c.run("exchange", "key"); code == 0 || !strings.Contains(errOut, "tally init --name") {
		t.Errorf("exchange key of an unnamed instance: exit %d %q, want a refusal telling how to name it", code, errOut)
	}
	c.ok("init", "--name", "airline")
	logKey := logtest.NewKey(t, "court/log").Public
	witnessKey := logtest.NewKey(t, "w.example").Public
	if code, _, errOut := c.run("init", "--name", "railway"); code == 0 || !strings.Contains(errOut, "airline") {
		t.Errorf("renaming an instance: exit %d %q, want a refusal naming the name it has", code, errOut)
	}
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{}, "--nats"},
		{[]string{"--nats", "nats://127.0.0.1:1"}, "--trust"},
		{[]string{"--nats", "nats://127.0.0.1:1", "--trust", "not a key"}, "--trust"},
		{[]string{"--nats", "nats://127.0.0.1:1", "--trust", "court+1234abcd+AAAA", "--max-lag", "3s"}, "--max-lag"},
		{[]string{"--nats", "nats://127.0.0.1:1", "--nats-replicas", "0"}, "--nats-replicas"},
		{[]string{"--nats", "nats://127.0.0.1:1", "--trust", "court+1234abcd+AAAA", "--audit-key", "court/log+1234abcd+AAAA"}, "--audit-log"},
		{[]string{"--nats", "nats://127.0.0.1:1", "--trust", "court+1234abcd+AAAA", "--audit-log", "http://127.0.0.1:1"}, "--audit-key"},
		{[]string{"--nats", "nats://127.0.0.1:1", "--trust", "court+1234abcd+AAAA", "--audit-log", "http://127.0.0.1:1", "--audit-key", "not a key"}, "--audit-key"},
		{[]string{"--nats", "nats://127.0.0.1:1", "--trust", "court+1234abcd+AAAA", "--witness", "http://127.0.0.1:1=" + witnessKey}, "--witness"},
		{[]string{"--nats", "nats://127.0.0.1:1", "--trust", "court+1234abcd+AAAA", "--audit-log", "http://127.0.0.1:1", "--audit-key", logKey, "--witness", "127.0.0.1:1=" + witnessKey}, "--witness"},
		{[]string{"--nats", "nats://127.0.0.1:1", "--trust", "court+1234abcd+AAAA", "--audit-log", "http://127.0.0.1:1", "--audit-key", logKey, "--witness", "http://127.0.0.1:1"}, "--witness"},
		{[]string{"--nats", "nats://127.0.0.1:1", "--trust", "court+1234abcd+AAAA", "--audit-log", "http://127.0.0.1:1", "--audit-key", logKey, "--witness", "http://127.0.0.1:1=" + witnessKey, "--witnesses", "2"}, "--witnesses"},
	} {
		code, _, errOut := c.run(append([]string{"verifier", "--addr", "127.0.0.1:0"}, tc.args...)...)
		if code == 0 || !strings.Contains(errOut, tc.says) {
			t.Errorf("verifier %v: exit %d %q, want a refusal naming %s", tc.args, code, errOut, tc.says)
		}
	}
}

// courtServingAirline makes a court and an airline bound by the
// court-to-airline agreement, starts the court's server on NATS at
// natsURL, and returns both, the court's exchange key, a verifier token of
// the airline and the court's address.
func courtServingAirline(t *testing.T, natsURL string) (court, airline *cli, courtKey, token, courtURL string) {
	t.Helper()
	agreement := "../../examples/agreements/court-to-airline.yaml"
	court = newCLI(t)
	court.ok("init", "--name", "court")
	court.ok("agreements", "add", agreement)
	courtKey = strings.TrimSpace(court.ok("exchange", "key"))
	airline = newCLI(t)
	airline.ok("init", "--name", "airline")
	airline.ok("agreements", "add", agreement)
	var tok struct{ Token string }
	if err := json.Unmarshal([]byte(airline.ok("tokens", "create", "--name", "gate-7", "--role", "verifier", "--json")), &tok); err != nil {
		t.Fatal(err)
	}
	courtLine, _ := background(t, court.db, "serve", "--addr", "127.0.0.1:0", "--nats", natsURL)
	courtURL = regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(courtLine)
	return court, airline, courtKey, tok.Token, courtURL
}

// A verifier told to audit its issuer's log answers only while that audit
// holds: given a key the court's checkpoints are not signed with, it
// answers "cannot answer", naming the log, though the stream is current.
func TestVerifierWaitsOnTheAuditOfTheIssuersLog(t *testing.T) {
	natsURL, _ := natsNode(t)
	impostor := newCLI(t)
	impostor.ok("init", "--name", "impostor")
	wrongKey := strings.TrimSpace(impostor.ok("log", "key"))
	_, airline, key, token, courtURL := courtServingAirline(t, natsURL)
	line, _ := background(t, airline.db, "verifier", "--addr", "127.0.0.1:0", "--nats", natsURL, "--trust", key, "--max-lag", "10s",
		"--audit-log", courtURL, "--audit-key", wrongKey)
	airlineURL := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(line)

	var p map[string]any
	eventually(t, "the airline explains why it cannot answer", func() bool {
		var status int
		status, p = checkAt(t, airlineURL, token, "")
		return status == 503 && strings.Contains(fmt.Sprint(p["detail"]), "impostor/log")
	})
	if d := fmt.Sprint(p["detail"]); !strings.Contains(d, "无法答复") || !strings.Contains(d, "审计") {
		t.Errorf("the refusal %q is not in Chinese", d)
	}
	if _, err := os.Stat(airline.db + ".audit"); err != nil {
		t.Errorf("the audit keeps no state next to the airline's database: %v", err)
	}
	// tally check on the airline's database refuses as its server does,
	// from the audit's state kept beside it.
	if code, out, errOut := airline.run("check", "360426199101010071", "--measure", "air-travel", "--max-lag", "10s"); code != checkFailed || !strings.Contains(errOut, "audit") {
		t.Errorf("tally check on the airline whose audit fails: exit %d %q %q, want %d and the reason", code, out, errOut, checkFailed)
	}
}
