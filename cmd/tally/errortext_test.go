package main

import (
	"strings"
	"testing"
)

// An error the ledger makes reads to the operator in Chinese by default,
// with no English sentence, and in English when asked.
func TestCLIErrorsFromTheLedgerSpeakTheOperatorsLanguage(t *testing.T) {
	c := chineseCLI(t)
	c.ok("init")
	add := []string{"subjects", "add", "--kind", "person", "--id", "360426199101010072", "--name", "张三"}
	code, _, errOut := c.run(add...)
	if code != exitInvalid || !strings.Contains(errOut, "身份证号的校验位是 2，应为 1：有一位数字输错了") || strings.Contains(errOut, "check character") {
		t.Errorf("tally subjects add, a mistyped ID number: exit %d %q, want the reason in Chinese only", code, errOut)
	}
	code, _, errOut = c.run(append(add, "--lang", "en")...)
	if code != exitInvalid || !strings.Contains(errOut, "resident ID check character is 2, want 1: a digit is mistyped") {
		t.Errorf("tally subjects add --lang en: exit %d %q, want the reason in English", code, errOut)
	}
}
