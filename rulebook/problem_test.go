package rulebook_test

import (
	"errors"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    rulebook.Problem
		want string
	}{
		{rulebook.Problem{File: "village.yaml", Line: 23, Rule: "littering", Field: "basis", Message: "a deduction needs a legal or policy basis"},
			"village.yaml:23: rule littering: basis: a deduction needs a legal or policy basis"},
		{rulebook.Problem{File: "village.yaml", Line: 23, Rule: "tidy", Field: "cap", Message: "no cap", Warning: true},
			"warning: village.yaml:23: rule tidy: cap: no cap"},
		{rulebook.Problem{File: "village.yaml", Message: "the file is empty"}, "village.yaml: the file is empty"},
		{rulebook.Problem{Line: 4, Field: "base", Message: "want an integer"}, "line 4: base: want an integer"},
		{rulebook.Problem{File: "a.yaml", Line: 2, Message: "YAML syntax: bad"}, "a.yaml:2: YAML syntax: bad"},
		{rulebook.Problem{Message: "odd"}, "odd"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestReport(t *testing.T) {
	e1 := rulebook.Problem{File: "a.yaml", Line: 1, Field: "base", Message: "want an integer"}
	w := rulebook.Problem{File: "a.yaml", Line: 2, Rule: "tidy", Field: "cap", Message: "no cap", Warning: true}
	e2 := rulebook.Problem{File: "a.yaml", Line: 3, Rule: "x", Field: "basis", Message: "missing"}
	rep := rulebook.Report{e1, w, e2}

	if got := rep.Errors(); len(got) != 2 || got[0] != e1 || got[1] != e2 {
		t.Errorf("Errors: got %v, want [%v %v]", got, e1, e2)
	}
	if got := rep.Warnings(); len(got) != 1 || got[0] != w {
		t.Errorf("Warnings: got %v, want [%v]", got, w)
	}
	err := rep.Err()
	var te *tally.Error
	if !errors.As(err, &te) || te.Code != tally.EInvalid {
		t.Fatalf("Err: got %v, want a *tally.Error with code invalid", err)
	}
	if want := e1.String() + "\n" + e2.String(); te.Message != want {
		t.Errorf("Err message: got %q, want %q", te.Message, want)
	}
	if err := (rulebook.Report{w}).Err(); err != nil {
		t.Errorf("Err of warnings only: got %v, want nil", err)
	}
	if err := rulebook.Report(nil).Err(); err != nil {
		t.Errorf("Err of nothing: got %v, want nil", err)
	}
}

// TestLoadErr shows a failed Load turned into one error, as a command
// prints it.
func TestLoadErr(t *testing.T) {
	b, rep := rulebook.Load("village.yaml", []byte(doc(deduction, "-basis")))
	if b != nil {
		t.Fatalf("got a Book, want nil")
	}
	want := "village.yaml:10: rule littering: basis: a deduction needs a legal or policy basis (the law, regulation or covenant it enforces)"
	if err := rep.Err(); err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}
