package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

// The guide, docs/API.md, runs as its readers would run it. Its conventions:
//
//   - every ```sh block is an example; they run in order, each in its own
//     bash with `set -euo pipefail`, against one server, in one working
//     directory where examples/ is the repository's;
//   - curl is the machine's curl with --fail-with-body -sS, so a refused
//     request fails its block;
//   - the variables are $TALLY (the base URL) and tokens named *_TOKEN,
//     each made from the guide's own `tally tokens create ... # NAME_TOKEN`
//     line the first time a block uses it;
//   - a block whose first line is `# Expect: STATUS CODE` shows an error:
//     it must fail with that problem;
//   - a ```json block right after an example shows what its last command
//     answers: every field it shows must be in the answer with that value
//     (the answer may have more fields, and arrays more items).

const guidePath = "../docs/API.md"

// guideExample is one ```sh block of the guide.
type guideExample struct {
	line    int    // of the opening fence
	code    string // the block's text
	status  int    // from "# Expect: STATUS CODE"; 0 when it must succeed
	problem string // the problem code expected with status
	shown   string // the ```json block after it, if any
	shownAt int
}

var expectLine = regexp.MustCompile(`^# Expect: (\d{3}) ([a-z_]+)\s*$`)

// readGuide splits the guide into its examples.
func readGuide(t *testing.T, text string) []guideExample {
	t.Helper()
	var out []guideExample
	var fence string // the open block's info string
	var body []string
	open := 0    // the line of the open block's fence
	lastSh := -1 // index in out of the last sh block, while only blank lines follow it
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case fence == "" && strings.HasPrefix(line, "```"):
			fence, open, body = strings.TrimSpace(strings.TrimPrefix(line, "```")), n, nil
			if lastSh >= 0 && fence != "json" {
				lastSh = -1
			}
		case fence != "" && strings.TrimSpace(line) == "```":
			code := strings.Join(body, "\n") + "\n"
			switch fence {
			case "sh":
				ex := guideExample{line: open, code: code}
				if len(body) == 0 {
					t.Fatalf("%s:%d: an empty example", guidePath, open)
				}
				if m := expectLine.FindStringSubmatch(body[0]); m != nil {
					ex.status, _ = strconv.Atoi(m[1])
					ex.problem = m[2]
				}
				out = append(out, ex)
				lastSh = len(out) - 1
			case "json":
				if lastSh >= 0 {
					out[lastSh].shown, out[lastSh].shownAt = code, open
				}
				lastSh = -1
			}
			fence = ""
		case fence != "":
			body = append(body, line)
		case strings.TrimSpace(line) != "":
			lastSh = -1 // prose between an example and a json block: the json is not its answer
		}
	}
	if fence != "" {
		t.Fatalf("%s:%d: a block is never closed", guidePath, open)
	}
	return out
}

var tokenLine = regexp.MustCompile(`tally tokens create (.+?)\s+#\s*([A-Z][A-Z_]*_TOKEN)\s*$`)

// guideTokens reads the guide's `tally tokens create` lines into the specs
// of the tokens they make, by the variable each names in its comment. The
// flags are the command's (cmd/tally/tokens.go).
func guideTokens(t *testing.T, text string) map[string]ledger.TokenSpec {
	t.Helper()
	out := map[string]ledger.TokenSpec{}
	for _, line := range strings.Split(text, "\n") {
		m := tokenLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		fs := flag.NewFlagSet("tokens create", flag.ContinueOnError)
		fs.SetOutput(new(bytes.Buffer))
		name := fs.String("name", "", "")
		role := fs.String("role", "", "")
		schemes := fs.String("schemes", "", "")
		rules := fs.String("rules", "", "")
		categories := fs.String("categories", "", "")
		subject := fs.String("subject", "", "")
		fs.String("expires", "", "")
		if err := fs.Parse(shellWords(t, m[1])); err != nil || fs.NArg() > 0 {
			t.Fatalf("%s: %q: %v (arguments left: %q)", guidePath, line, err, fs.Args())
		}
		out[m[2]] = ledger.TokenSpec{Name: *name, Role: tally.Role(*role), Schemes: commaList(*schemes), Rules: commaList(*rules),
			Categories: commaList(*categories), Subject: *subject}
	}
	return out
}

func commaList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// shellWords splits a command line as a shell would, for the quoting the
// guide uses: single and double quotes, no escapes or expansions.
func shellWords(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	var word strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				out = append(out, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		t.Fatalf("%s: unclosed quote in %q", guidePath, s)
	}
	if inWord {
		out = append(out, word.String())
	}
	return out
}

var tokenVar = regexp.MustCompile(`\$\{?([A-Z][A-Z_]*_TOKEN)\b`)

// Every example of docs/API.md works against the real server, in order,
// and answers what the guide shows.
func TestAPIGuideExamples(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("curl is not installed, and CI must run the guide's examples: %v", err)
		}
		t.Skipf("curl is not installed: %v", err)
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatalf("bash: %v", err)
	}
	src, err := os.ReadFile(guidePath)
	if err != nil {
		t.Fatal(err)
	}
	examples := readGuide(t, string(src))
	if len(examples) < 10 {
		t.Fatalf("%s has %d sh examples, want the guide's day of calls", guidePath, len(examples))
	}
	specs := guideTokens(t, string(src))

	s := startServer(t, httpapi.Config{})
	dir := t.TempDir()
	repoExamples, err := filepath.Abs("../examples")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(repoExamples, filepath.Join(dir, "examples")); err != nil {
		t.Fatal(err)
	}
	// A bare environment: no proxy settings, so curl talks to the loopback
	// server directly.
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "LC_ALL=C.UTF-8", "TALLY=" + s.url}
	prelude := "set -euo pipefail\ncurl() { " + curl + " --fail-with-body -sS \"$@\"; }\n"
	made := map[string]bool{}

	for _, ex := range examples {
		where := fmt.Sprintf("%s:%d", guidePath, ex.line)
		for _, m := range tokenVar.FindAllStringSubmatch(ex.code, -1) {
			name := m[1]
			if made[name] {
				continue
			}
			spec, ok := specs[name]
			if !ok {
				t.Fatalf("%s uses $%s, but no `tally tokens create ... # %s` line in the guide makes it", where, name, name)
			}
			secret, _, err := s.svc.CreateToken(s.admin, spec)
			if err != nil {
				t.Fatalf("%s: making $%s as the guide says: %v", where, name, err)
			}
			env = append(env, name+"="+secret)
			made[name] = true
		}

		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		cmd := exec.CommandContext(ctx, bash, "--noprofile", "--norc", "-c", prelude+ex.code)
		cmd.Dir, cmd.Env = dir, env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		cancel()
		out := stdout.Bytes()
		if testing.Verbose() {
			t.Logf("%s:\n%s", where, out)
		}
		if ex.status != 0 {
			p := lastJSON(out)
			if err == nil || p == nil || p["status"] != float64(ex.status) || p["code"] != ex.problem {
				t.Errorf("%s: got %v and %s, want it to fail with %d %s", where, err, out, ex.status, ex.problem)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v\n%s\nstdout: %s\nstderr: %s", where, err, ex.code, out, stderr.Bytes())
			continue
		}
		if ex.shown == "" {
			continue
		}
		var want any
		if err := json.Unmarshal([]byte(ex.shown), &want); err != nil {
			t.Errorf("%s:%d: the answer shown is not JSON: %v", guidePath, ex.shownAt, err)
			continue
		}
		got := lastJSON(out)
		if diff := jsonSubset("", got, want); diff != "" {
			t.Errorf("%s:%d: the guide shows an answer the server does not give: %s\nthe server answered: %s", guidePath, ex.shownAt, diff, lastLine(out))
		}
	}
}

// lastJSON decodes the last of the JSON values in out, nil if none.
func lastJSON(out []byte) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(out))
	var last map[string]any
	for {
		var v map[string]any
		if err := dec.Decode(&v); err != nil {
			return last
		}
		last = v
	}
}

func lastLine(out []byte) []byte {
	lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
	return lines[len(lines)-1]
}

// jsonSubset says where want is not part of got: each of want's object
// fields must be in got with a matching value, and each of want's array
// items must match got's item at the same index.
func jsonSubset(path string, got, want any) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s is %v, want an object", orRoot(path), got)
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				return fmt.Sprintf("%s/%s is missing", path, k)
			}
			if d := jsonSubset(path+"/"+k, gv, wv); d != "" {
				return d
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) < len(w) {
			return fmt.Sprintf("%s is %v, want an array of at least %d items", orRoot(path), got, len(w))
		}
		for i := range w {
			if d := jsonSubset(fmt.Sprintf("%s/%d", path, i), g[i], w[i]); d != "" {
				return d
			}
		}
	default:
		if !reflect.DeepEqual(got, want) {
			return fmt.Sprintf("%s is %v, want %v", orRoot(path), got, want)
		}
	}
	return ""
}

func orRoot(path string) string {
	if path == "" {
		return "the answer"
	}
	return path
}
