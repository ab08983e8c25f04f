package ledger

import (
	"context"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
)

// Every operation an access-log entry can name is one of the policy's,
// and reads in both languages with every scope a grant can have.
func TestEveryAuthorityIsInThePolicyAndTheCatalogue(t *testing.T) {
	ops := map[Op]bool{}
	for _, op := range actionOps {
		ops[op] = true
	}
	for _, op := range detailOps {
		ops[op] = true
	}
	for op := range ops {
		p, ok := permissions[op]
		if !ok {
			t.Errorf("%s names no operation of the policy", op)
			continue
		}
		for _, g := range p.Grants {
			text := AuthorityText(op, g.Scope)
			if text.Zh == text.En || strings.Contains(text.Zh+text.En, "op.") || strings.Contains(text.Zh+text.En, "scope.") {
				t.Errorf("%s (%s): authority reads %+v, want a catalogue text in each language", op, g.Scope, text)
			}
		}
	}
}

// An entry's operation comes from the step's context first, then from
// its detail's kind, then from its action.
func TestStampAuthorityPrefersTheStepsOperation(t *testing.T) {
	for _, tc := range []struct {
		ctx    context.Context
		action string
		detail string
		role   tally.Role
		op     Op
		scope  Scope
	}{
		{context.Background(), "record", accessDetail("recorded", "1", "r", "+2"), tally.Recorder, OpRecord, Assigned},
		{context.Background(), "record", accessDetail("imported", "1", "r", "+2"), tally.Agency, OpImportRecords, Assigned},
		{underOp(context.Background(), OpWriteCommitments), "record", accessDetail("recorded", "1", "r", "-5"), tally.Agency, OpWriteCommitments, Assigned},
		{context.Background(), "score", "", tally.SubjectR, OpReadSubject, Own},
		{context.Background(), "something-new", "", tally.Admin, "", ""},
	} {
		e := &tally.Access{Action: tc.action, Detail: tc.detail, Role: tc.role}
		stampAuthority(tc.ctx, e)
		if Op(e.Op) != tc.op || Scope(e.Scope) != tc.scope {
			t.Errorf("%s %q by %s: %s/%s, want %s/%s", tc.action, tc.detail, tc.role, e.Op, e.Scope, tc.op, tc.scope)
		}
	}
}
