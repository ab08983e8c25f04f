package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// `tally report ID --from DAY [--to DAY] [--areas A,B] --authorisation REF`
// issues a special credit report: the operator names the subject's
// authorisation (without one: refused), a period of more than 5 years is
// refused, and the PDF (read by pdftotext) lists the chosen area and
// period, and verifies.
func TestReportSpecialCommand(t *testing.T) {
	c := newCLI(t)
	t.Setenv("TALLY_SIGN_KEY_FILE", "")
	c.ok("init")
	c.ok("rules", "publish", "../../examples/village.yaml")
	c.ok("subjects", "add", "--kind", "person", "--id", "360426199101010071", "--name", "张三")
	c.ok("enrol", "--scheme", "jiakuang-majia", "--subject", "360426199101010071", "--consent")
	c.ok("record", "--scheme", "jiakuang-majia", "--subject", "360426199101010071", "--rule", "conduct.littering",
		"--at", time.Now().AddDate(0, 0, -3).Format("2006-01-02"), "--ref", "r1", "--evidence", "photo")
	pdf := filepath.Join(t.TempDir(), "special.pdf")
	from := time.Now().AddDate(-2, 0, 0).Format("2006-01-02")
	args := []string{"report", "360426199101010071", "--purpose", "投标资格审查", "--out", pdf, "--areas", "jiakuang-majia/environment", "--from", from}
	if code, _, errOut := c.run(args...); code != exitInvalid || !strings.Contains(errOut, "authorisation") {
		t.Errorf("a special report without an authorisation: exit %d %s", code, errOut)
	}
	tooLong := time.Now().AddDate(-6, 0, 0).Format("2006-01-02")
	long := append(append([]string{}, args[:len(args)-1]...), tooLong, "--authorisation", "授权书 7")
	if code, _, errOut := c.run(long...); code != exitInvalid || !strings.Contains(errOut, "最长 5 年") || !strings.Contains(errOut, "at most 5 years") {
		t.Errorf("a period of 6 years: exit %d %s", code, errOut)
	}
	out := c.ok(append(args, "--authorisation", "授权书 7")...)
	if !strings.Contains(out, "jiakuang-majia/environment") {
		t.Errorf("the command's answer does not name the scope: %s", out)
	}
	prog, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command(prog, "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"专项信用报告", "环境卫生", from, "乱扔垃圾", "授权书 7"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the special report lacks %q:\n%s", want, text)
		}
	}
	if out := c.ok("verify", pdf); !strings.Contains(out, "genuine and unaltered") {
		t.Errorf("verify: %s", out)
	}
	_ = os.Remove(pdf)
}
