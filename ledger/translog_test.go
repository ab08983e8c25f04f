package ledger_test

import (
	"crypto/rand"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/parse"
	"github.com/tallycredit/tally/translog"
	"golang.org/x/mod/sumdb/note"
)

// logKey returns a fresh key pair for a test log named name.
func logKey(t testing.TB, name string) (note.Signer, note.Verifier) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return signer, verifier
}

// withLogSigner gives f a Service over its store that signs checkpoints,
// and returns the log's verifier.
func (f *fixture) withLogSigner() note.Verifier {
	f.t.Helper()
	signer, verifier := logKey(f.t, "rongcheng.example/log")
	f.svc = ledger.New(f.db, f.vault, ledger.Options{Now: func() time.Time { return now }, Log: ledger.LogSettings{Signer: signer}})
	if err := f.svc.Check(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return verifier
}

// wantLogged fails the test unless the self-check finds nothing wrong (so
// that every stored entry has a leaf and gives the bytes it commits to)
// and the log holds a leaf of each of kinds.
func wantLogged(t *testing.T, f *fixture, kinds ...ledger.LogKind) {
	t.Helper()
	rep, err := f.svc.VerifyLog(f.ctx, nil)
	if err != nil {
		t.Fatalf("VerifyLog: %v", err)
	}
	if len(rep.Findings) > 0 {
		t.Errorf("VerifyLog found %+v, want nothing", rep.Findings)
	}
	have := map[ledger.LogKind]int{}
	err = f.db.View(f.ctx, func(tx ledger.Tx) error {
		leaves, err := tx.LogLeaves(f.ctx, 0, int(rep.Leaves))
		for _, l := range leaves {
			have[l.Kind]++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kinds {
		if have[k] == 0 {
			t.Errorf("no %s is in the log (leaves by kind: %v)", k, have)
		}
	}
}

// TestEveryLoggedWriteAppendsALeaf: each use case that writes a logged
// entry appends its leaf in the same transaction, and the entry read back
// gives the bytes the leaf commits to.
func TestEveryLoggedWriteAppendsALeaf(t *testing.T) {
	t.Run("rulebook, record, reversal", func(t *testing.T) {
		f := newDueCase(t)
		if _, err := f.svc.Reverse(f.ctx, ledger.Reversal{Scheme: city, Record: f.loan.ID, Reason: "wrong person", Ref: "loan/1-undo"}); err != nil {
			t.Fatal(err)
		}
		wantLogged(t, f.fixture, ledger.LogRulebook, ledger.LogSubject, ledger.LogRecord)
		var n int64
		_ = f.db.View(f.ctx, func(tx ledger.Tx) (err error) { n, err = tx.TreeSize(f.ctx); return err })
		if n != 4 {
			t.Errorf("tree size %d, want 4: the rulebook, the subject, the record, the reversal", n)
		}
	})
	// A subject's leaf binds its identity (the keyed hash checks go by,
	// the name) to its ID, which every other entry names it by.
	t.Run("subject, added and imported", func(t *testing.T) {
		f := newFixture(t)
		f.publishExample("village.yaml")
		if _, err := f.svc.AddSubject(f.ctx, ledger.NewSubject{Kind: tally.Organisation, Identifier: "91310110666007217T", Name: "某某超市"}); err != nil {
			t.Fatal(err)
		}
		rep, err := f.svc.ImportPeople(f.ctx, strings.NewReader(peopleCSV), nil)
		if err != nil || rep.Added != 3 || len(rep.Bad) != 4 {
			t.Fatalf("ImportPeople = %+v, %v; want 3 added, 4 bad rows", rep, err)
		}
		wantLogged(t, f, ledger.LogSubject)
		var subjects int
		err = f.db.View(f.ctx, func(tx ledger.Tx) error {
			leaves, err := tx.LogLeaves(f.ctx, 0, 100)
			for _, l := range leaves {
				if l.Kind == ledger.LogSubject {
					subjects++
				}
			}
			return err
		})
		if err != nil || subjects != 4 {
			t.Errorf("%d subjects in the log, %v; want 4: the one added and the three imported, none of the bad rows", subjects, err)
		}
	})
	t.Run("import", func(t *testing.T) {
		f := newFixture(t)
		f.publishExample("city.yaml")
		f.person(city, zhang, "张三")
		csv := "scheme,subject,rule,at,ref,evidence\n" + city + "," + zhang + ",finance.loan-default,2026-11-01,imp/1,bank letter\n" +
			city + "," + zhang + ",tax.arrears,2026-11-02,imp/2,tax notice\n"
		rep, err := f.svc.Import(f.ctx, strings.NewReader(csv), ledger.ImportOptions{Format: parse.CSV})
		if err != nil || rep.Recorded != 2 {
			t.Fatalf("import: %+v, %v", rep, err)
		}
		wantLogged(t, f, ledger.LogRecord)
	})
	t.Run("catalogue, list entry, removal, cascade", func(t *testing.T) {
		f := newListFixture(t)
		e, err := f.svc.List(f.ctx, defaulter())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Remove(f.ctx, ledger.Removal{List: e.List, CaseNumber: e.CaseNumber, Reason: tally.Performed}); err != nil {
			t.Fatal(err)
		}
		both := listHeader + listRow("judgment-defaulters", li, "李四", "(2026)鲁1082执2号")
		if _, err := f.svc.ImportListings(f.ctx, strings.NewReader(both), parse.CSV, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ImportListSnapshot(f.ctx, "judgment-defaulters", strings.NewReader(listHeader), parse.CSV, nil); err != nil {
			t.Fatal(err)
		}
		wantLogged(t, f.fixture, ledger.LogCatalogue, ledger.LogListEntry, ledger.LogRemoval)
	})
	t.Run("objection decision", func(t *testing.T) {
		f := newDueCase(t)
		o := f.object(f.ctx, f.loan.ID)
		if err := f.void(reviewerCtx("rev"), o.ID); err != nil {
			t.Fatal(err)
		}
		wantLogged(t, f.fixture, ledger.LogObjectionDecision, ledger.LogRecord)
	})
	t.Run("repair decision", func(t *testing.T) {
		f := newFixture(t)
		f.publishExample("city.yaml")
		f.person(city, zhang, "张三")
		old := f.record(city, zhang, "tax.arrears", "2026-06-01", "tax/1")
		p, err := f.svc.ApplyRepair(f.ctx, ledger.RepairInput{Scheme: city, Identifier: zhang, Record: old.ID, Obligations: "tax paid, receipt 44"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.DecideRepair(reviewerCtx("rev"), p.ID, true, "receipt checked"); err != nil {
			t.Fatal(err)
		}
		wantLogged(t, f, ledger.LogRepairDecision)
	})
	t.Run("agreement, and the exchange's receive", func(t *testing.T) {
		c, a := court(t), airline(t)
		if _, err := c.svc.List(c.ctx, defaulter()); err != nil {
			t.Fatal(err)
		}
		exchange := ledger.WithActor(a.ctx, &tally.Actor{Name: "exchange", Role: tally.Admin})
		if applied, err := a.svc.Receive(exchange, c.pending(t)[0].Change); err != nil || !applied {
			t.Fatalf("Receive = %v, %v; want applied", applied, err)
		}
		wantLogged(t, c.fixture, ledger.LogAgreement, ledger.LogListEntry)
		wantLogged(t, a.fixture, ledger.LogAgreement, ledger.LogListEntry)
	})
}

// TestLogCheckpointsAndProofs: checkpoints are signed only with a key, an
// empty log gets one, a log that did not grow gets none, and the tiles,
// inclusion and consistency proofs served verify against the signed
// checkpoints and cover nothing a checkpoint does not.
func TestLogCheckpointsAndProofs(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.SignLogCheckpoint(f.ctx); tally.ErrorCodeOf(err) != tally.EInvalid {
		t.Errorf("SignLogCheckpoint without a key: %v, want invalid", err)
	}
	verifier := f.withLogSigner()
	if _, err := f.svc.LogCheckpoint(f.ctx); tally.ErrorCodeOf(err) != tally.ENotFound {
		t.Errorf("LogCheckpoint before the first: %v, want not found", err)
	}
	empty, err := f.svc.SignLogCheckpoint(f.ctx)
	if err != nil || empty.Size != 0 || empty.Root != translog.EmptyRoot() {
		t.Fatalf("the empty log's checkpoint: %+v, %v", empty, err)
	}
	f.publishExample("city.yaml")
	f.person(city, zhang, "张三")
	rec := f.record(city, zhang, "finance.loan-default", "2026-11-01", "loan/1")
	public := ledger.WithActor(t.Context(), nil)
	if _, err := f.svc.LogTile(public, "tile/entries/000.p/2"); tally.ErrorCodeOf(err) != tally.ENotFound {
		t.Errorf("a tile beyond the latest checkpoint: %v, want not found", err)
	}
	if _, err := f.svc.LogInclusion(public, ledger.LogRecord, itoa(rec.ID), 0); tally.ErrorCodeOf(err) != tally.ENotFound {
		t.Errorf("the proof of an entry after the latest checkpoint: %v, want not found", err)
	}
	if _, err := f.svc.SignLogCheckpoint(public); tally.ErrorCodeOf(err) != tally.EForbidden {
		t.Errorf("the public signing a checkpoint: %v, want forbidden", err)
	}
	c, err := f.svc.SignLogCheckpoint(f.ctx)
	if err != nil || c.Size != 3 {
		t.Fatalf("SignLogCheckpoint: %+v, %v; want 3 entries: the rulebook, the subject, the record", c, err)
	}
	again, err := f.svc.SignLogCheckpoint(f.ctx)
	if err != nil || again.Size != 3 || string(again.Note) != string(c.Note) {
		t.Errorf("SignLogCheckpoint of a log that did not grow: %+v, %v; want the latest again", again, err)
	}
	got, err := f.svc.LogCheckpoint(public)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := translog.OpenCheckpoint(got.Note, note.VerifierList(verifier))
	if err != nil || cp.Size != 3 || cp.Root != c.Root || cp.Origin != "rongcheng.example/log" {
		t.Fatalf("the served checkpoint: %+v, %v", cp, err)
	}
	in, err := f.svc.LogInclusion(public, ledger.LogRecord, itoa(rec.ID), 0)
	if err != nil {
		t.Fatal(err)
	}
	if in.Index != 2 || in.Checkpoint.Size != 3 || in.Proof.Verify(in.Leaf, cp.Root) != nil {
		t.Errorf("inclusion %+v does not verify against the checkpoint", in)
	}
	bundle, err := f.svc.LogTile(public, "tile/entries/000.p/3")
	if err != nil {
		t.Fatal(err)
	}
	leaves, err := translog.ParseBundle(bundle)
	if err != nil || len(leaves) != 3 || string(leaves[2]) != string(in.Leaf) {
		t.Errorf("the entry bundle: %d leaves, %v; want 3, the third the record's", len(leaves), err)
	}
	if _, err := f.svc.LogTile(public, "tile/0/000.p/3"); err != nil {
		t.Errorf("the hash tile: %v", err)
	}
	if _, err := f.svc.LogTile(public, "tile/0/00"); tally.ErrorCodeOf(err) != tally.EInvalid {
		t.Errorf("a bad tile path: %v, want invalid", err)
	}
	p, err := f.svc.LogConsistency(public, 0, 3)
	if err != nil || p.Verify(empty.Root, c.Root) != nil {
		t.Errorf("consistency 0→3: %+v, %v; want a proof that verifies", p, err)
	}
	if _, err := f.svc.LogConsistency(public, 0, 4); tally.ErrorCodeOf(err) != tally.ENotFound {
		t.Errorf("consistency beyond the latest checkpoint: %v, want not found", err)
	}
	if _, err := f.svc.LogInclusion(public, "secret", "1", 0); tally.ErrorCodeOf(err) != tally.EInvalid {
		t.Errorf("an unknown kind: %v, want invalid", err)
	}
}

// TestAppendUnloggedLogsOlderEntries: entries written without the log
// (a database from before it), subjects among them, are found by the
// self-check as unlogged, and AppendUnlogged logs them, after which the
// self-check is clean.
func TestAppendUnloggedLogsOlderEntries(t *testing.T) {
	f := newFixture(t)
	f.svc = ledger.New(f.db, f.vault, ledger.Options{Now: func() time.Time { return now }, NoLog: true})
	f.publishExample("city.yaml")
	f.person(city, zhang, "张三")
	for i := range 3 {
		f.record(city, zhang, "finance.loan-default", "2026-11-01", "loan/"+itoa(int64(i)))
	}
	f.withLogSigner()
	rep, err := f.svc.VerifyLog(f.ctx, nil)
	if err != nil || len(rep.Findings) != 5 || rep.Findings[0].Problem != ledger.LogUnlogged || rep.Findings[0].Kind != ledger.LogRecord {
		t.Fatalf("VerifyLog before the backfill: %+v, %v; want 3 records, a rulebook and a subject unlogged", rep, err)
	}
	n, err := f.svc.AppendUnlogged(f.ctx, nil)
	if err != nil || n != 5 {
		t.Fatalf("AppendUnlogged = %d, %v; want 5", n, err)
	}
	wantLogged(t, f, ledger.LogRecord, ledger.LogRulebook, ledger.LogSubject)
	if n, err := f.svc.AppendUnlogged(f.ctx, nil); err != nil || n != 0 {
		t.Errorf("AppendUnlogged again = %d, %v; want 0", n, err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A backfill larger than one batch reads on from where each batch ended,
// logs every entry once and tells its progress after each batch.
func TestAppendUnloggedGoesOnBatchByBatch(t *testing.T) {
	f := newFixture(t)
	f.svc = ledger.New(f.db, f.vault, ledger.Options{Now: func() time.Time { return now }, NoLog: true})
	f.publishExample("city.yaml")
	f.person(city, zhang, "张三")
	n := 2*ledger.BackfillBatch + 300
	conducts := make([]ledger.Conduct, n)
	for i := range conducts {
		conducts[i] = f.conduct(city, zhang, "finance.loan-default", "2026-11-01", "loan/"+itoa(int64(i)))
	}
	if rep, err := f.svc.RecordAll(f.ctx, conducts, ledger.ImportOptions{}); err != nil || rep.Recorded != n {
		t.Fatalf("import without the log: %+v, %v", rep, err)
	}
	f.withLogSigner()
	var told []int
	got, err := f.svc.AppendUnlogged(f.ctx, func(appended int) { told = append(told, appended) })
	if err != nil || got != n+2 {
		t.Fatalf("AppendUnlogged = %d, %v; want %d records, a rulebook and a subject", got, err, n+2)
	}
	if want := []int{ledger.BackfillBatch, 2 * ledger.BackfillBatch, n, n + 1, n + 2}; !slices.Equal(told, want) {
		t.Errorf("progress told %v, want %v", told, want)
	}
	rep, err := f.svc.VerifyLog(f.ctx, nil)
	if err != nil || len(rep.Findings) != 0 || rep.Leaves != int64(n+2) {
		t.Errorf("VerifyLog after the backfill: %+v, %v; want %d leaves and nothing found", rep, err, n+2)
	}
}
