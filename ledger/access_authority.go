package ledger

import (
	"context"
	"strings"

	"github.com/tallycredit/tally"
)

// actionOps is the operation of Policy under which each access-log action
// is done: with the actor's role it says on what authority an entry was
// made, which the entry keeps (as the policy stood then) for as long as
// the log is kept.
var actionOps = map[string]Op{
	"score": OpReadSubject, "explain": OpReadSubject, "history": OpReadSubject, "trend": OpReadSubject, "outlook": OpReadSubject,
	"verify": OpVerify, "check": OpCheck, "eligibility": OpEligibility, "evidence": OpReadEvidence, "access-log": OpReadAccessLog,
	"record": OpRecord, "dry-run": OpRecord, "reverse": OpReverse, "add-subject": OpAddSubject, "enrol": OpEnrol,
	"consent": OpSetConsent, "publication": OpSetConsent, "contact": OpSetContact,
	"object": OpObject, "appeal": OpObject, "acknowledge": OpReview, "decide": OpReview,
	"approve": OpReview, "reject": OpReview, "repair": OpApplyRepair, "repair-decision": OpReview,
	"report": OpIssueReport, "special-report": OpIssueReport, "report-verified": OpVerifyReportSeal,
	"kiosk-code": OpIssueKioskCode, "kiosk-sign-in": OpReadOwnPage,
	"list": OpListEntries, "propose": OpListEntries, "remove": OpListEntries,
	"statement": OpStateCase, "proposal-dropped": OpDecideProposal,
	"cascade-remove": OpRevokeSource, "cascade-reverse": OpRevokeSource,
	"commitment": OpWriteCommitments, "commitment-fulfilled": OpWriteCommitments, "commitment-breached": OpWriteCommitments,
	"share": OpExchange, "receive": OpExchange,
}

// detailOps is the operation of an action whose operation depends on the
// kind of its detail: an imported record is written under records.import.
var detailOps = map[string]Op{"imported": OpImportRecords}

// opKey is the context key of the operation a step's entries name.
type opKey struct{}

// underOp returns a context whose access-log entries name op as their
// authority, for a step done under another operation than its action's
// usual one (a broken commitment recorded as a record).
func underOp(ctx context.Context, op Op) context.Context { return context.WithValue(ctx, opKey{}, op) }

// stampAuthority records in e the authority it was made under: the operation
// (of ctx, of its detail's kind or of its action) and the scope of the
// grant that lets its role perform it. An action the table does not know
// leaves both empty, as in entries older than the column.
func stampAuthority(ctx context.Context, e *tally.Access) {
	op, ok := ctx.Value(opKey{}).(Op)
	if !ok {
		code, _, _ := strings.Cut(e.Detail, " ")
		if op, ok = detailOps[code]; !ok {
			op = actionOps[e.Action]
		}
	}
	if op == "" {
		return
	}
	scope, _ := GrantOf(op, e.Role)
	e.Op, e.Scope = string(op), string(scope)
}

// AuthorityText says on what authority an entry was made, in both
// languages: the operation and how far the grant reached; "not recorded"
// for an entry written before tally kept it.
func AuthorityText(op Op, scope Scope) tally.Text {
	if op == "" {
		return message("access.authority.unknown")
	}
	return message("access.authority", message("op."+string(op)), message("scope."+string(scope)))
}
