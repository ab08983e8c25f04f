package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/tallycredit/tally/demo"
	"github.com/tallycredit/tally/internal/texttest"
	"github.com/tallycredit/tally/localtime"
)

// humanOutputs runs, on a fresh demo database, every command whose output
// is read by a person, in lang ("" for the default), and returns what each
// printed, by command line, with the words the demo's data brings along
// (account names) that are not the messages' own.
func humanOutputs(t *testing.T, c *cli, lang string) (outputs map[string]string, allowed map[string]bool) {
	t.Helper()
	with := func(args ...string) []string {
		if lang != "" {
			args = append(args, "--lang", lang)
		}
		return args
	}
	outputs = map[string]string{}
	runCode := func(want int, args ...string) string {
		t.Helper()
		code, out, errOut := c.run(with(args...)...)
		if code != want {
			t.Fatalf("tally %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, errOut)
		}
		outputs[strings.Join(args, " ")] = out + errOut
		return out
	}
	runOK := func(args ...string) string { t.Helper(); return runCode(exitOK, args...) }
	printed := runOK("demo", "--serve=false", "--villagers", "30", "--residents", "5", "--shops", "3")
	m := regexp.MustCompile(`explain (\S+) --scheme jiakuang-majia`).FindStringSubmatch(printed)
	if m == nil {
		t.Fatalf("the demo names no villager to try:\n%s", printed)
	}
	villager := m[1]
	runOK("score", villager, "--scheme", "jiakuang-majia")
	runOK("explain", villager, "--scheme", "jiakuang-majia")
	runOK("history", villager, "--scheme", "jiakuang-majia")
	runOK("record", "--scheme", "jiakuang-majia", "--subject", villager, "--rule", "labour.volunteer", "--fact", "hours=2",
		"--at", "2026-03-02", "--ref", "lang-test/"+lang)
	runOK("rules", "show", "jiakuang-majia")
	runOK("objections", "list")
	runOK("subjects", "add", "--kind", "person", "--id", "360426199101010071", "--name", "张三")
	runOK("lists", "add", "--list", "judgment-defaulters", "--subject", "360426199101010071", "--name", "张三",
		"--case", "(2025)鲁1082执9"+lang+"号", "--court", "荣成市人民法院", "--decided", "2025-10-01", "--notice", "2025-10-20",
		"--grounds", "拒不履行", "--basis", "最高法规定第一条")
	runCode(checkDenied, "check", "360426199101010071", "--measure", "air-travel")
	runOK("lists", "remove", "--list", "judgment-defaulters", "--case", "(2025)鲁1082执9"+lang+"号", "--reason", "performed")
	runOK("tokens", "create", "--name", "recorder-9", "--role", "recorder")
	runOK("tokens", "list")
	runOK("accounts", "list")
	runOK("calendar", "show", "2026")
	runOK("commitments", "list")
	runOK("proposals", "list")
	// The demo closed last month: closing it again says so.
	period := localtime.StartOfMonth(time.Now(), nil).AddDate(0, -1, 0).Format("2006-01")
	runOK("close", "--scheme", "jiakuang-majia", "--period", period)
	runOK("sheet", "--scheme", "jiakuang-majia", "--period", period, "--format", "totals")
	runOK("rewards", "--scheme", "jiakuang-majia", "--period", period)
	runOK("board", "--scheme", "jiakuang-majia", "--period", period)
	runOK("publication", villager, "--scheme", "jiakuang-majia", "--yes", "--how", "form-7")
	runOK("notices", "list", "--limit", "5")
	runOK("repair", "list")
	runOK("review", "pending")
	runOK("access", villager, "--limit", "5")
	dir := t.TempDir()
	pdf := filepath.Join(dir, "report.pdf")
	runOK("report", villager, "--purpose", "mortgage", "--out", pdf)
	runOK("verify", pdf)
	runOK("gen", "--out", filepath.Join(dir, "gen"), "--persons", "20", "--shops", "2", "--records", "30", "--list-entries", "2", "--end", "2026-01-01")
	runOK("migrate")

	_, js, _ := c.run("accounts", "list", "--json")
	var accounts []struct{ Name string }
	if err := json.Unmarshal([]byte(js), &accounts); err != nil || len(accounts) == 0 {
		t.Fatalf("accounts list --json: %v %q", err, js)
	}
	allowed = map[string]bool{"recorder-9": true, "tally": true}
	for _, a := range accounts {
		allowed[strings.ToLower(a.Name)] = true
	}
	return outputs, allowed
}

// withoutDemoData removes from out what the demo's people typed, in both
// languages on purpose: data as stored, not tally's words.
func withoutDemoData(out string) string {
	for _, typed := range demo.TypedTexts() {
		out = strings.ReplaceAll(out, typed, " ")
	}
	return out
}

// The text every command prints for a person is Chinese by default: no
// English sentence in the output of score, explain, history, record,
// rules show, objections list, lists add and remove, check, tokens,
// accounts, the demo's tour, close, sheet totals, rewards, board,
// publication, notices, repairs, review, access, report and verify, gen
// and migrate.
func TestCommandsPrintChineseByDefault(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo")
	}
	c := chineseCLI(t)
	outputs, allowed := humanOutputs(t, c, "")
	for _, line := range sortedKeys(outputs) {
		out := outputs[line]
		if !containsHan(out) {
			t.Errorf("tally %s printed no Chinese:\n%s", line, out)
		}
		for _, s := range texttest.EnglishSentences(withoutDemoData(out), allowed) {
			t.Errorf("tally %s: English sentence %q", line, s)
		}
	}
}

// With --lang en the same commands print no message in Chinese: none of
// the Chinese catalogue's operator texts appears (names, rule titles and
// bases are data and may be Chinese).
func TestCommandsPrintEnglishWhenAsked(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo")
	}
	c := chineseCLI(t)
	outputs, _ := humanOutputs(t, c, "en")
	phrases := chinesePhrases()
	if len(phrases) < 50 {
		t.Fatalf("only %d Chinese operator phrases in the catalogue", len(phrases))
	}
	for _, line := range sortedKeys(outputs) {
		out := withoutDemoData(outputs[line])
		for _, p := range phrases {
			if strings.Contains(out, p) {
				t.Errorf("tally %s --lang en: Chinese message %q in\n%s", line, p, out)
			}
		}
	}
}

// The usage of tally and of a command, and the argument parser's errors,
// are Chinese by default and English with --lang en; a flag error keeps
// the flag's name.
func TestUsageAndParserErrorsInTheOperatorsLanguage(t *testing.T) {
	c := chineseCLI(t)
	commandWords := map[string]bool{"tally": true, "score": true, "lists": true, "add": true} // identifiers in a synopsis
	for _, tc := range []struct {
		args   []string
		code   int
		want   string // in Chinese
		wantEn string // with --lang en
	}{
		{[]string{"help"}, exitOK, "用法", "usage:"},
		{[]string{"score", "-h"}, exitOK, "用法", "usage:"},
		{[]string{"lists", "add", "--help"}, exitOK, "用法", "usage:"},
		{[]string{"score", "--frob"}, exitInvalid, "frob", "frob"},
		{[]string{"score", "x", "--scheme", "s", "--json=maybe"}, exitInvalid, "json", "json"},
		{[]string{"history", "x", "--scheme", "s", "--limit", "many"}, exitInvalid, "many", "many"},
		{[]string{"score", "a", "b", "--scheme", "s"}, exitInvalid, "2", "2"},
		{[]string{"score", "--lang", "fr"}, exitInvalid, "fr", "fr"},
	} {
		for _, lang := range []string{"", "en"} {
			args := tc.args
			if lang != "" {
				args = append(append([]string{}, args...), "--lang", lang)
			}
			code, out, errOut := c.run(args...)
			got := out + errOut
			line := "tally " + strings.Join(args, " ")
			if code != tc.code {
				t.Errorf("%s: exit %d, want %d\n%s", line, code, tc.code, got)
			}
			if lang == "" {
				if !strings.Contains(got, tc.want) || !containsHan(got) {
					t.Errorf("%s: want Chinese naming %q, got\n%s", line, tc.want, got)
				}
				for _, s := range texttest.EnglishSentences(got, commandWords) {
					t.Errorf("%s: English sentence %q", line, s)
				}
				continue
			}
			if !strings.Contains(got, tc.wantEn) || containsAny(got, chinesePhrases()) {
				t.Errorf("%s: want English naming %q, got\n%s", line, tc.wantEn, got)
			}
		}
	}
}

// Every catalogue key the command's source names, and the summary of every
// command, is in the catalogue: a missing key would print as {key}.
func TestEveryOperatorKeyIsInTheCatalogue(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`"(cli\.[a-z0-9_.]+[a-z0-9_])"`)
	zh, en := texts.In("zh"), texts.In("en")
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			seen++
			if _, ok := zh[m[1]]; !ok {
				t.Errorf("%s: %s is not in the catalogue", f, m[1])
			} else if _, ok := en[m[1]]; !ok {
				t.Errorf("%s: %s has no English", f, m[1])
			}
		}
	}
	for name := range commands() {
		if _, ok := zh[summaryKey(name)]; !ok {
			t.Errorf("tally %s has no summary %s in the catalogue", name, summaryKey(name))
		}
	}
	if seen < 100 {
		t.Errorf("the source names only %d catalogue keys", seen)
	}
}

// chinesePhrases are the runs of three or more Chinese characters in the
// Chinese operator texts: what an English output must not contain.
func chinesePhrases() []string {
	set := map[string]bool{}
	for k, v := range texts.In("zh") {
		// The default purpose is data for the resident's access log,
		// Chinese whatever the operator's language.
		if !strings.HasPrefix(k, "cli.") || k == "cli.purpose_default" {
			continue
		}
		for _, run := range hanRuns(v) {
			// A run the English text carries too is data quoted in
			// both, such as the Chinese column headers of an import.
			if len([]rune(run)) >= 3 && !strings.Contains(texts.In("en")[k], run) {
				set[run] = true
			}
		}
	}
	return sortedKeys(set)
}

// hanRuns are the runs of Chinese characters in s.
func hanRuns(s string) []string {
	var runs []string
	var run []rune
	flush := func() {
		if len(run) > 0 {
			runs = append(runs, string(run))
		}
		run = nil
	}
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			run = append(run, r)
		} else {
			flush()
		}
	}
	flush()
	return runs
}

// withoutQuotedChinese removes from out the Chinese that English operator
// texts carry themselves: data quoted in both languages.
func withoutQuotedChinese(out string) string {
	for k, v := range texts.In("en") {
		if strings.HasPrefix(k, "cli.") {
			for _, run := range hanRuns(v) {
				out = strings.ReplaceAll(out, run, " ")
			}
		}
	}
	return out
}

func containsAny(s string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

func containsHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
