package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A court's judgment is revoked at the command line: its entry goes and
// the flight is allowed; one revoked long ago is listed as overdue; an
// import marked --snapshot revokes what the file no longer names.
func TestRevocationAtTheCommandLine(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	for _, cs := range []string{"(2025)鲁1082执1号", "(2025)鲁1082执2号"} {
		c.ok("lists", "add", "--list", "judgment-defaulters", "--subject", "360426199101010071", "--name", "张三",
			"--case", cs, "--court", "荣成市人民法院", "--decided", "2025-01-02", "--notice", "2025-01-03",
			"--grounds", "refuses", "--basis", "SPC art. 1")
	}
	out := c.ok("lists", "revoke", "--source", "(2025)鲁1082执1号", "--note", "(2025)鲁10执复1号")
	if !strings.Contains(out, "(2025)鲁1082执1号") {
		t.Errorf("lists revoke printed %q, want the source", out)
	}
	c.ok("lists", "revoke", "--source", "(2025)鲁1082执2号", "--on", "2025-01-06")
	if out := c.ok("check", "360426199101010071", "--measure", "air-travel"); !strings.Contains(out, "allowed air-travel") {
		t.Errorf("check after both revocations printed %q, want allowed", out)
	}
	out = c.ok("lists", "cascades", "--overdue", "--json")
	var overdue []map[string]any
	if err := json.Unmarshal([]byte(out), &overdue); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(overdue) != 1 || overdue[0]["source"] != "(2025)鲁1082执2号" || overdue[0]["overdue"] != true {
		t.Errorf("lists cascades --overdue: %s, want only the late one", out)
	}

	file := filepath.Join(t.TempDir(), "court.csv")
	row := func(cs string) string {
		return "judgment-defaulters,34052419800101001X,李四," + cs + ",荣成市人民法院,2025-10-01,2025-10-02,refuses,SPC art. 1\n"
	}
	header := "list,subject,name,case_number,court,decided,notice,grounds,basis\n"
	if err := os.WriteFile(file, []byte(header+row("(2025)鲁1082执7号")+row("(2025)鲁1082执8号")), 0o600); err != nil {
		t.Fatal(err)
	}
	c.ok("lists", "import", file)
	if err := os.WriteFile(file, []byte(header+row("(2025)鲁1082执8号")), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := c.ok("lists", "import", file, "--json"); strings.Contains(out, `"revoked"`) {
		t.Errorf("an import without --snapshot revoked: %s", out)
	}
	out = c.ok("lists", "import", "--snapshot", "judgment-defaulters", file, "--json")
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if rep["revoked"] != float64(1) {
		t.Errorf("lists import --snapshot: %s, want 1 revoked", out)
	}
}
