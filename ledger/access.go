package ledger

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tallycredit/tally"
)

// purposeKey is the context key of a read's stated purpose.
type purposeKey struct{}

// WithPurpose returns a context whose reads state a purpose, such as
// "home loan application" or "objection review". Every role but a subject
// reading its own record must state one; it goes into the access log.
func WithPurpose(ctx context.Context, purpose string) context.Context {
	return context.WithValue(ctx, purposeKey{}, strings.TrimSpace(purpose))
}

func purposeOf(ctx context.Context) string {
	p, _ := ctx.Value(purposeKey{}).(string)
	return p
}

// MaxPurpose is the longest purpose kept in the access log.
const MaxPurpose = 200

// checkPurpose refuses a read without the purpose its role must give.
func checkPurpose(ctx context.Context, a *tally.Actor) error {
	p := purposeOf(ctx)
	if needsPurpose(a) && p == "" {
		return tally.FieldErrorf("purpose", "%s reads of a person's record must state a purpose", a.Role)
	}
	if utf8.RuneCountInString(p) > MaxPurpose {
		return tally.FieldErrorf("purpose", "longer than %d characters", MaxPurpose)
	}
	return tally.CheckText("purpose", p, tally.Limits.Purpose, false)
}

// logAccess appends an access-log entry in tx.
func (s *Service) logAccess(ctx context.Context, tx AccessLog, subjectID int64, scheme, action, detail string) error {
	return tx.InsertAccess(ctx, s.access(ctx, subjectID, scheme, action, detail))
}

// access is the access-log entry for the actor of ctx doing action now,
// with the authority it does it under.
func (s *Service) access(ctx context.Context, subjectID int64, scheme, action, detail string) *tally.Access {
	a := ActorOf(ctx)
	e := &tally.Access{
		At: s.now(), SubjectID: subjectID, Scheme: scheme, Actor: a.Name, Role: a.Role, TokenID: a.TokenID,
		Action: action, Purpose: purposeOf(ctx), Detail: detail,
	}
	stampAuthority(ctx, e)
	return e
}

// AccessEntry is an access-log entry as a subject sees it.
type AccessEntry struct {
	ID      int64      `json:"id"`
	At      time.Time  `json:"at"`
	Scheme  string     `json:"scheme,omitempty"`
	Actor   string     `json:"actor"`
	Role    tally.Role `json:"role"`
	Action  string     `json:"action"`
	Purpose string     `json:"purpose,omitempty"`
	// Detail is what the entry says about the action, in English, as
	// before DetailText; DetailText says it in both languages.
	Detail     string     `json:"detail,omitempty"`
	DetailText tally.Text `json:"detail_text,omitzero"`
	// Op, Scope and TokenID are the authority the entry was made under:
	// the operation of the policy that allowed it, how far the actor's
	// grant reached, and the API token used, if any. Authority says so in
	// both languages ("not recorded" for entries older than the record).
	Op        Op         `json:"op,omitempty"`
	Scope     Scope      `json:"scope,omitempty"`
	TokenID   int64      `json:"token_id,omitempty"`
	Authority tally.Text `json:"authority"`
	// Archived reports that the entry has moved to the archive after the
	// retention period (see ArchiveAccess); it is kept all the same.
	Archived bool `json:"archived,omitempty"`
}

// AccessLog returns who read or changed a subject's data, on what
// authority and why, oldest first, a page at a time, archived entries
// included. A subject may read its own (that reading is not itself
// logged); an admin may read any with a purpose, and that is logged.
func (s *Service) AccessLog(ctx context.Context, identifier string, after int64, limit int) ([]AccessEntry, error) {
	a := ActorOf(ctx)
	if err := authorize(a, OpReadAccessLog, s.target("", identifier)); err != nil {
		return nil, err
	}
	if a.Role == tally.Admin {
		if err := checkPurpose(ctx, a); err != nil {
			return nil, err
		}
	}
	if limit <= 0 || limit > MaxPage {
		limit = MaxPage
	}
	var out []AccessEntry
	var subjectID int64
	err := s.store.View(ctx, func(tx Tx) error {
		subj, err := s.subject(ctx, tx, identifier)
		if err != nil {
			return err
		}
		subjectID = subj.ID
		log, err := tx.AccessLog(ctx, subj.ID, after, limit)
		if err != nil {
			return err
		}
		out = make([]AccessEntry, len(log))
		for i, e := range log {
			out[i] = AccessEntry{ID: e.ID, At: e.At, Scheme: e.Scheme, Actor: e.Actor, Role: e.Role, Action: e.Action, Purpose: e.Purpose,
				Op: Op(e.Op), Scope: Scope(e.Scope), TokenID: e.TokenID, Authority: AuthorityText(Op(e.Op), Scope(e.Scope)), Archived: e.Archived}
			if e.Detail != "" {
				out[i].DetailText = AccessDetailText(e.Detail)
				out[i].Detail = out[i].DetailText.En
			}
		}
		return nil
	})
	if err != nil || a.Role != tally.Admin {
		return out, err
	}
	return out, s.logRead(ctx, subjectID, "", "access-log", accessDetail("entries-page", itoa(len(out)), itoa(after)))
}

// Ready reports whether the store answers.
func (s *Service) Ready(ctx context.Context) error {
	return s.store.View(ctx, func(tx Tx) error {
		_, err := tx.Schemes(ctx)
		return err
	})
}
