package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// chineseCLI is a CLI whose environment names no language: its messages
// are in Chinese, the default.
func chineseCLI(t *testing.T) *cli {
	c := newCLI(t)
	t.Setenv("TALLY_LANG", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LANG", "")
	return c
}

// Operators read tally's messages in Chinese unless they ask for English:
// an error, an import summary and a check answer.
func TestCLISpeaksChineseByDefault(t *testing.T) {
	c := chineseCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/village.yaml")
	c.ok("subjects", "add", "--kind", "person", "--id", "360426199101010071", "--name", "张三")
	c.ok("enrol", "--scheme", "jiakuang-majia", "--subject", "360426199101010071", "--consent")

	if code, _, errOut := c.run("review", "frob"); code != exitInvalid || !strings.Contains(errOut, "没有 'review frob' 这个命令：应为 pending, approve 或 reject") {
		t.Errorf("tally review frob: exit %d %q, want the error in Chinese", code, errOut)
	}
	file := filepath.Join(t.TempDir(), "records.csv")
	writeFile(t, file, "scheme,subject,rule,at,ref,facts\njiakuang-majia,360426199101010071,labour.volunteer,2026-03-02,zh/1,hours=8\njiakuang-majia,360426199101010071,no.such-rule,2026-03-02,zh/2,\n")
	code, out, errOut := c.run("import", file)
	if !strings.Contains(out, "records.csv：共 2 行，记录 1 条，未变 0 条，有误 1 行") || !strings.Contains(errOut, "1 行有误，未导入；其余正确的行已保存") || code != exitInvalid {
		t.Errorf("tally import: exit %d\n%s%s\nwant the summary in Chinese", code, out, errOut)
	}
	c.ok("lists", "add", "--list", "judgment-defaulters", "--subject", "360426199101010071", "--name", "张三",
		"--case", "(2025)鲁1082执123号", "--court", "荣成市人民法院", "--decided", "2025-10-01", "--notice", "2025-10-20",
		"--grounds", "refuses", "--basis", "SPC art. 1")
	code, out, _ = c.run("check", "360426199101010071", "--measure", "air-travel")
	if code != checkDenied || !strings.Contains(out, "：不允许 air-travel") || !strings.Contains(out, "解除办法：") {
		t.Errorf("tally check: exit %d %q, want the denial in Chinese", code, out)
	}
	if code, _, errOut := c.run("check", "360426199101010071"); code != checkFailed || !strings.Contains(errOut, "measure：请指明措施") {
		t.Errorf("tally check without a measure: exit %d %q, want the error in Chinese naming the flag", code, errOut)
	}
}

// English is chosen by --lang en, by TALLY_LANG, or by an English LC_ALL
// or LANG; --lang wins over the environment.
func TestCLILanguageChoice(t *testing.T) {
	c := chineseCLI(t)
	c.ok("init")
	english, chinese := "unknown 'review frob'", "没有 'review frob'"
	for _, tc := range []struct {
		name, tallyLang, lcAll, lang string
		args                         []string
		want                         string
	}{
		{"nothing said", "", "", "", nil, chinese},
		{"--lang en", "", "", "", []string{"--lang", "en"}, english},
		{"TALLY_LANG=en", "en", "", "", nil, english},
		{"LANG=en_US.UTF-8", "", "", "en_US.UTF-8", nil, english},
		{"LC_ALL=en_GB.UTF-8", "", "en_GB.UTF-8", "zh_CN.UTF-8", nil, english},
		{"LANG=zh_CN.UTF-8", "", "", "zh_CN.UTF-8", nil, chinese},
		{"--lang zh over TALLY_LANG=en", "en", "", "", []string{"--lang", "zh"}, chinese},
	} {
		t.Setenv("TALLY_LANG", tc.tallyLang)
		t.Setenv("LC_ALL", tc.lcAll)
		t.Setenv("LANG", tc.lang)
		_, _, errOut := c.run(append([]string{"review", "frob"}, tc.args...)...)
		if !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, errOut, tc.want)
		}
	}
}
