package translog_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/translog"
	"golang.org/x/mod/sumdb/note"
)

const origin = "example.org/tally"

// signedAt signs the checkpoint of s at size with key.
func signedAt(tb testing.TB, key note.Signer, s translog.Reader, size int64) (translog.Checkpoint, []byte) {
	tb.Helper()
	root, err := translog.RootAt(context.Background(), s, size)
	if err != nil {
		tb.Fatal(err)
	}
	c := translog.Checkpoint{Origin: key.Name(), Size: size, Root: root}
	msg, err := translog.SignCheckpoint(key, c)
	if err != nil {
		tb.Fatal(err)
	}
	return c, msg
}

func mustProve(tb testing.TB, s translog.Reader, from, to int64) translog.ConsistencyProof {
	tb.Helper()
	p, err := translog.ProveConsistency(context.Background(), s, from, to)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// The auditor accepts a log that only grows, and names a rollback, a fork,
// a changed key, a bad signature and another log.
func TestAudit(t *testing.T) {
	key, ver := mustKey(t, origin)
	s := mustLog(t, 30)
	at10, msg10 := signedAt(t, key, s, 10)
	_, msg20 := signedAt(t, key, s, 20)

	first, err := translog.Audit(ver, translog.Checkpoint{}, msg10, translog.ConsistencyProof{})
	if err != nil || first.Size != 10 || first.Root != at10.Root {
		t.Fatalf("first checkpoint: %+v, %v", first, err)
	}
	next, err := translog.Audit(ver, first, msg20, mustProve(t, s, 10, 20))
	if err != nil || next.Size != 20 {
		t.Fatalf("a log that grew: %+v, %v", next, err)
	}
	if same, err := translog.Audit(ver, next, msg20, translog.ConsistencyProof{}); err != nil || same.Size != 20 {
		t.Errorf("the same checkpoint again: %+v, %v", same, err)
	}
	if _, err := translog.Audit(ver, first, msg20, mustProve(t, s, 11, 20)); tally.ErrorCodeOf(err) != tally.EInvalid {
		t.Errorf("a proof of other sizes: %v, want invalid", err)
	}

	// Another history: the same first 15 leaves, then others.
	forked := mustLog(t, 15)
	for i := 15; i < 30; i++ {
		mustAppend(t, forked, []byte("rewritten"))
	}
	_, fork20 := signedAt(t, key, forked, 20)
	_, fork25 := signedAt(t, key, forked, 25)
	otherKey, _ := mustKey(t, origin)
	_, rekeyed := signedAt(t, otherKey, s, 25)
	stranger, _ := mustKey(t, "elsewhere.example/log")
	_, strangers := signedAt(t, stranger, s, 25)
	_, msg25 := signedAt(t, key, s, 25)
	otherOrigin, err := note.Sign(&note.Note{Text: string(translog.Checkpoint{Origin: "elsewhere.example/log", Size: 25, Root: next.Root}.Marshal())}, key)
	if err != nil {
		t.Fatal(err)
	}
	cut := append(slices.Clone(msg25[:len(msg25)-10]), '\n')

	for _, tc := range []struct {
		name string
		msg  []byte
		p    translog.ConsistencyProof
		want translog.Finding
	}{
		{"rollback", msg10, translog.ConsistencyProof{}, translog.Rollback},
		{"same size, other root", fork20, translog.ConsistencyProof{}, translog.Fork},
		{"a proof that fails", fork25, mustProve(t, forked, 20, 25), translog.Fork},
		{"the honest log's proof for a forked root", fork25, mustProve(t, s, 20, 25), translog.Fork},
		{"another key under the log's name", rekeyed, mustProve(t, s, 20, 25), translog.KeyChanged},
		{"a stranger's key", strangers, mustProve(t, s, 20, 25), translog.BadSignature},
		{"a signature cut short", cut, mustProve(t, s, 20, 25), translog.BadSignature},
		{"another origin", otherOrigin, mustProve(t, s, 20, 25), translog.OtherLog},
	} {
		got, err := translog.Audit(ver, next, tc.msg, tc.p)
		var ae *translog.AuditError
		if !errors.As(err, &ae) || ae.Finding != tc.want {
			t.Errorf("%s: %+v, %v; want %s", tc.name, got, err, tc.want)
			continue
		}
		if ae.Trusted.Size != 20 || tally.ErrorCodeOf(err) != tally.EConflict {
			t.Errorf("%s: %+v, code %s", tc.name, ae, tally.ErrorCodeOf(err))
		}
	}
	_, err = translog.Audit(ver, next, msg10, translog.ConsistencyProof{})
	if zh := catalog.ErrorText("zh", err); !strings.HasPrefix(zh, "回滚：日志显示 10 条") {
		t.Errorf("a rollback in Chinese: %q", zh)
	}
	if got, err := translog.Audit(ver, next, msg25, mustProve(t, s, 20, 25)); err != nil || got.Size != 25 {
		t.Errorf("after all that, the honest checkpoint: %+v, %v", got, err)
	}
}
