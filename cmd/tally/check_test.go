package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// tally check answers through its exit code, so that a script can rely on
// it: 0 only when allowed, 1 when denied, 2 on any error (usage, bad
// input, an unknown subject or measure, a store that cannot be opened).
func TestCheckExitCodes(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("lists", "add", "--list", "judgment-defaulters", "--subject", "360426199101010071", "--name", "张三",
		"--case", "(2025)鲁1082执123号", "--court", "荣成市人民法院", "--decided", "2025-10-01", "--notice", "2025-10-20",
		"--grounds", "refuses", "--basis", "SPC art. 1")
	for _, tc := range []struct {
		name string
		args []string
		code int
		says string
	}{
		{"allowed", []string{"check", "360426199101010071", "--measure", "bus-ticket"}, 0, "allowed bus-ticket"},
		{"another person, allowed", []string{"check", "34052419800101001X", "--measure", "air-travel"}, 0, "allowed air-travel"},
		{"denied", []string{"check", "360426199101010071", "--measure", "air-travel"}, 1, "DENIED air-travel"},
		{"denied, as JSON", []string{"check", "360426199101010071", "--measure", "air-travel", "--json"}, 1, `"allowed": false`},
		{"no measure", []string{"check", "360426199101010071"}, 2, "measure"},
		{"no subject", []string{"check", "--measure", "air-travel"}, 2, "argument"},
		{"an unknown flag", []string{"check", "360426199101010071", "--measure", "air-travel", "--frob"}, 2, "frob"},
		{"a malformed identifier", []string{"check", "340524198001010013", "--measure", "air-travel"}, 2, "check character"},
		{"an unknown measure", []string{"check", "360426199101010071", "--measure", "moon-travel"}, 2, "moon-travel"},
		{"a bad instant", []string{"check", "360426199101010071", "--measure", "air-travel", "--at", "yesterday"}, 2, "at"},
	} {
		code, out, errOut := c.run(tc.args...)
		if code != tc.code || !strings.Contains(out+errOut, tc.says) {
			t.Errorf("%s: tally %s: exit %d %q, want exit %d mentioning %q", tc.name, strings.Join(tc.args, " "), code, out+errOut, tc.code, tc.says)
		}
	}
	var out, errOut bytes.Buffer
	missing := filepath.Join(t.TempDir(), "missing", "tally.db")
	if code := run(context.Background(), []string{"check", "360426199101010071", "--measure", "air-travel", "--db", missing},
		strings.NewReader(""), &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "missing") {
		t.Errorf("a database that cannot be opened: exit %d %q, want exit 2 naming it", code, errOut.String())
	}
	code, got, _ := c.run("check", "360426199101010071", "--measure", "air-travel", "--json")
	var el map[string]any
	if err := json.Unmarshal([]byte(got), &el); code != 1 || err != nil || el["allowed"] != false {
		t.Errorf("denied as JSON: exit %d %v %q, want exit 1 and the answer as JSON", code, err, got)
	}
}
