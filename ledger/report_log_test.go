package ledger_test

import (
	"crypto/ed25519"
	"encoding/hex"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/exchange"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/translog"
	"golang.org/x/mod/sumdb/note"
)

// withInstanceLogKey names the instance rongcheng, binds a report signing
// key and gives f a Service that signs checkpoints with it under the log's
// key name, as tally does; it returns the log's verifier.
func (f *fixture) withInstanceLogKey() note.Verifier {
	f.t.Helper()
	signer, verifier := f.bindInstanceLogKey()
	f.svc = ledger.New(f.db, f.vault, ledger.Options{Now: func() time.Time { return now }, Log: ledger.LogSettings{Signer: signer}})
	return verifier
}

// bindInstanceLogKey names the instance rongcheng, binds a report signing
// key and returns the log's signer and verifier: that key under the log's
// key name.
func (f *fixture) bindInstanceLogKey() (note.Signer, note.Verifier) {
	f.t.Helper()
	if err := f.svc.SetInstanceName(f.ctx, "rongcheng"); err != nil {
		f.t.Fatal(err)
	}
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	if err := f.svc.BindReportKey(f.ctx, hex.EncodeToString(key.Public().(ed25519.PublicKey))); err != nil {
		f.t.Fatal(err)
	}
	signer, err := exchange.NewSigner(ledger.LogKeyName("rongcheng"), key)
	if err != nil {
		f.t.Fatal(err)
	}
	vkey, err := exchange.VerifierKey(ledger.LogKeyName("rongcheng"), key.Public().(ed25519.PublicKey))
	if err != nil {
		f.t.Fatal(err)
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		f.t.Fatal(err)
	}
	return signer, verifier
}

// reportedFixture is Zhang San with a record and a court-list entry.
func reportedFixture(t *testing.T) (*fixture, tally.Record, int64) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person(city, zhang, "张三")
	rec := f.record(city, zhang, "finance.loan-default", "2026-11-01", "loan/1")
	if _, err := f.svc.PublishCatalogue(f.ctx, "sanctions.yml", examples.Sanctions); err != nil {
		t.Fatal(err)
	}
	listed, err := f.svc.List(f.ctx, defaulter())
	if err != nil {
		t.Fatal(err)
	}
	return f, rec, listed.ID
}

// TestReportsCarryLogProofs: a full and a special report carry, for the
// record and the list entry they list and for their subject, the position, leaf, salt and an
// inclusion proof against one checkpoint signed with the instance's log
// key; VerifyReportLog finds them all in the log. Without a log key a
// report carries no proofs, and says so.
func TestReportsCarryLogProofs(t *testing.T) {
	f, rec, listed := reportedFixture(t)
	plain := f.report()
	if plain.Log != nil {
		t.Errorf("a report of an instance without a log key carries %+v, want no proofs", plain.Log)
	}
	if got, err := f.svc.VerifyReportLog(f.ctx, plain.Code); err != nil || got.Carried || got.OK() {
		t.Errorf("VerifyReportLog of a report without proofs: %+v, %v; want not carried", got, err)
	}
	verifier := f.withInstanceLogKey()
	reports := []*ledger.Report{f.report()}
	_, _, err := f.svc.IssueSpecialReport(f.ctx, ledger.SpecialRequest{Identifier: zhang, From: now.AddDate(-2, 0, 0), Purpose: "a tender",
		Authorisation: "auth/1", Lang: "en"}, func(r *ledger.Report) ([]byte, string, error) {
		reports = append(reports, r)
		return []byte("pdf"), ledger.Digest([]byte("pdf")), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, rep := range reports {
		l := rep.Log
		if l == nil || len(l.Entries) != 3 {
			t.Fatalf("report %s: log section %+v, want the record, the list entry and the subject", rep.Code, l)
		}
		c, err := translog.OpenCheckpoint([]byte(l.Checkpoint), note.VerifierList(verifier))
		if err != nil || c.Size != l.Size || c.Root != l.Root || c.Origin != "rongcheng/log" {
			t.Fatalf("report %s: checkpoint %+v, %v", rep.Code, c, err)
		}
		for _, e := range l.Entries {
			p := translog.InclusionProof{Index: e.Index, Size: c.Size, Path: e.Proof}
			if p.Verify(e.Leaf, c.Root) != nil || len(e.Salt) != translog.SaltSize {
				t.Errorf("report %s: entry %+v does not prove its place in the log", rep.Code, e)
			}
		}
		if i, ok := rep.LogIndex(ledger.LogRecord, rec.ID); !ok || i != l.Entries[0].Index {
			t.Errorf("report %s: the record's position %d, %v", rep.Code, i, ok)
		}
		if _, ok := rep.LogIndex(ledger.LogListEntry, listed); !ok {
			t.Errorf("report %s: the list entry has no position", rep.Code)
		}
		if _, ok := rep.LogIndex(ledger.LogSubject, rec.SubjectID); !ok {
			t.Errorf("report %s: the subject has no position", rep.Code)
		}
		got, err := f.svc.VerifyReportLog(ledger.WithActor(t.Context(), nil), rep.Code)
		if err != nil || !got.OK() || len(got.Entries) != 3 || got.Latest < got.Size {
			t.Errorf("VerifyReportLog(%s) of an untouched store: %+v, %v; want all in the log", rep.Code, got, err)
		}
	}
	if _, err := f.svc.VerifyReportLog(f.ctx, "NOPE"); tally.ErrorCodeOf(err) != tally.ENotFound {
		t.Errorf("VerifyReportLog of an unknown code: %v, want not found", err)
	}
}

// TestVerifyReportLogFindsTampering: on either store, a record edited, a
// list entry deleted and the subject's identity swapped with another's
// (which moves their histories onto each other, every record left as it
// was) in the database after the report was issued (past the triggers
// that keep them append-only) are named, each with what happened to it.
func TestVerifyReportLogFindsTampering(t *testing.T) {
	for engine := range tamperable {
		t.Run(engine, func(t *testing.T) {
			h := newLoggedHistory(t, engine)
			f := h.f
			rep := f.report()
			h.tamper("records", `UPDATE records SET awarded = 0 WHERE id = `+itoa(h.plain))
			h.tamper("list_entries", `DELETE FROM list_entries WHERE id = `+itoa(h.listed))
			h.tamper("subjects", h.swapLookups(h.zhang, h.li))
			got, err := f.svc.VerifyReportLog(f.ctx, rep.Code)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]ledger.ReportLogStatus{"record " + itoa(h.plain): ledger.ReportLogChanged, "list-entry " + itoa(h.listed): ledger.ReportLogMissing,
				"subject " + itoa(h.zhang): ledger.ReportLogChanged}
			for _, e := range got.Entries {
				if w := want[string(e.Kind)+" "+e.Ref]; e.Status != w {
					t.Errorf("%s %s: %s, want %s", e.Kind, e.Ref, e.Status, w)
				}
			}
			if got.OK() || !got.Signed || !got.Consistent || len(got.Entries) != 3 {
				t.Errorf("VerifyReportLog after tampering: %+v; want signed, consistent and not OK", got)
			}
		})
	}
}
