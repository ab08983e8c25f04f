package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A court lists a defaulter; tally check denies a flight with the case and
// allows a bus; after removal the flight is allowed; a bad import row is
// reported with its line and exit 2.
func TestListsAtTheCommandLine(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	out := c.ok("lists", "show")
	if !strings.Contains(out, "judgment-defaulters") || !strings.Contains(out, "air-travel") {
		t.Fatalf("lists show printed %q, want the default catalogue", out)
	}
	code, _, errOut := c.run("lists", "add", "--list", "judgment-defaulters", "--subject", "360426199101010071", "--name", "张三",
		"--case", "(2025)鲁1082执123号", "--court", "荣成市人民法院", "--decided", "2025-10-01",
		"--grounds", "refuses", "--basis", "SPC art. 1")
	if code != exitInvalid || !strings.Contains(errOut, "notice") {
		t.Errorf("lists add without --notice: exit %d %q, want 2 naming the notice", code, errOut)
	}
	c.ok("lists", "add", "--list", "judgment-defaulters", "--subject", "360426199101010071", "--name", "张三",
		"--case", "(2025)鲁1082执123号", "--court", "荣成市人民法院", "--decided", "2025-10-01", "--notice", "2025-10-20",
		"--grounds", "refuses", "--basis", "SPC art. 1")
	code, out, _ = c.run("check", "360426199101010071", "--measure", "air-travel", "--json")
	if code != 1 {
		t.Errorf("check air-travel while listed: exit %d, want 1 (denied)", code)
	}
	var el map[string]any
	if err := json.Unmarshal([]byte(out), &el); err != nil {
		t.Fatal(err)
	}
	reasons, _ := el["reasons"].([]any)
	if el["allowed"] != false || len(reasons) != 1 || reasons[0].(map[string]any)["case_number"] != "(2025)鲁1082执123号" {
		t.Errorf("check air-travel: %s, want denied with the case", out)
	}
	if out := c.ok("check", "360426199101010071", "--measure", "bus-ticket"); !strings.Contains(out, "allowed bus-ticket") {
		t.Errorf("check bus-ticket printed %q, want allowed", out)
	}
	if code, _, errOut := c.run("check", "340524198001010013", "--measure", "air-travel"); code != exitInvalid || !strings.Contains(errOut, "check character") {
		t.Errorf("check of a malformed identifier: exit %d %q, want 2", code, errOut)
	}
	c.ok("lists", "remove", "--list", "judgment-defaulters", "--case", "(2025)鲁1082执123号", "--reason", "performed", "--note", "paid")
	if out := c.ok("check", "360426199101010071", "--measure", "air-travel"); !strings.Contains(out, "allowed air-travel") {
		t.Errorf("check after removal printed %q, want allowed", out)
	}
	file := filepath.Join(t.TempDir(), "court.csv")
	csv := "list,subject,name,case_number,court,decided,notice,grounds,basis\n" +
		"judgment-defaulters,34052419800101001X,李四,(2025)鲁1082执7号,荣成市人民法院,2025-10-01,2025-10-02,refuses,SPC art. 1\n" +
		"judgment-defaulters,34052419800101001X,李四,(2025)鲁1082执8号,荣成市人民法院,2025-10-01,2025-10-02,refuses,\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = c.run("lists", "import", file)
	if code != exitInvalid || !strings.Contains(out, "court.csv:3: basis") || !strings.Contains(out, "1 listed") {
		t.Errorf("lists import: exit %d %q, want 2 with line 3's basis and 1 listed", code, out)
	}
	code, out, _ = c.run("lists", "import", file)
	if code != exitInvalid || !strings.Contains(out, "0 listed, 1 unchanged") {
		t.Errorf("lists import again: exit %d %q, want nothing new", code, out)
	}
}
