package translog_test

import (
	"crypto/rand"
	"slices"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/translog"
	"golang.org/x/mod/sumdb/note"
)

// mustKey returns a new note key pair named name.
func mustKey(tb testing.TB, name string) (note.Signer, note.Verifier) {
	tb.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		tb.Fatal(err)
	}
	return s, v
}

func TestCheckpointText(t *testing.T) {
	root := translog.LeafHash([]byte("r"))
	c := translog.Checkpoint{Origin: "example.org/tally", Size: 20852163, Root: root}
	want := "example.org/tally\n20852163\n" + root.String() + "\n"
	if got := string(c.Marshal()); got != want {
		t.Errorf("Marshal = %q, want %q", got, want)
	}
	c.Extensions = []string{"ext one", "ext two"}
	back, err := translog.ParseCheckpoint(c.Marshal())
	if err != nil || back.Origin != c.Origin || back.Size != c.Size || back.Root != c.Root || !slices.Equal(back.Extensions, c.Extensions) {
		t.Errorf("round trip %+v, %v; want %+v", back, err, c)
	}
	r := root.String()
	for _, bad := range []string{
		"", "o\n1\n" + r, "o\n1\n", "o\n" + r + "\n", "\n1\n" + r + "\n", "o\n01\n" + r + "\n", "o\n-1\n" + r + "\n",
		"o\n+1\n" + r + "\n", "o\n1 \n" + r + "\n", "o\n99999999999999999999\n" + r + "\n", "o\n1\n" + r[:40] + "\n",
		"o\n1\n" + r + "\n\n", "o\n1\n" + r + "\n\next\n", "o\n1\n" + strings.TrimRight(r, "=") + "\n",
	} {
		if c, err := translog.ParseCheckpoint([]byte(bad)); tally.ErrorCodeOf(err) != tally.EInvalid {
			t.Errorf("ParseCheckpoint(%q) = %+v, %v; want invalid", bad, c, err)
		}
	}
	if c, err := translog.ParseCheckpoint([]byte("o\n0\n" + translog.EmptyRoot().String() + "\n")); err != nil || c.Size != 0 {
		t.Errorf("the empty tree: %+v, %v", c, err)
	}
}

// A checkpoint signed by the log opens with its key, and a witness's
// cosignature is added beside the log's, keeping every other signature.
func TestSignOpenCosign(t *testing.T) {
	logKey, logVer := mustKey(t, "example.org/tally")
	w1, w1Ver := mustKey(t, "witness.example/one")
	w2, w2Ver := mustKey(t, "witness.example/two")
	c := translog.Checkpoint{Origin: "example.org/tally", Size: 3, Root: translog.LeafHash([]byte("x"))}
	msg, err := translog.SignCheckpoint(logKey, c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := translog.OpenCheckpoint(msg, note.VerifierList(logVer))
	if err != nil || got.Origin != c.Origin || got.Size != c.Size || got.Root != c.Root {
		t.Fatalf("OpenCheckpoint = %+v, %v; want %+v", got, err, c)
	}
	if _, err := translog.SignCheckpoint(w1, c); tally.ErrorCodeOf(err) != tally.EInvalid {
		t.Errorf("a key named otherwise than the origin signs: %v", err)
	}
	changed := []byte(strings.Replace(string(msg), "\n3\n", "\n4\n", 1))
	if _, err := translog.OpenCheckpoint(changed, note.VerifierList(logVer)); err == nil {
		t.Error("a changed checkpoint opens")
	}
	if _, err := translog.OpenCheckpoint(msg, note.VerifierList(w1Ver)); err == nil {
		t.Error("a checkpoint opens without the log's key")
	}

	once, err := translog.Cosign(msg, w2, note.VerifierList(logVer))
	if err != nil {
		t.Fatal(err)
	}
	twice, err := translog.Cosign(once, w1, note.VerifierList(logVer, w1Ver))
	if err != nil {
		t.Fatal(err)
	}
	_, names, err := translog.Cosigners(twice, note.VerifierList(logVer, w1Ver, w2Ver))
	if err != nil || !slices.Equal(names, []string{"witness.example/two", "witness.example/one"}) {
		t.Errorf("Cosigners = %q, %v; want both witnesses", names, err)
	}
	if got, err := translog.OpenCheckpoint(twice, note.VerifierList(logVer)); err != nil || got.Size != 3 {
		t.Errorf("the cosigned checkpoint opens with the log's key alone: %+v, %v", got, err)
	}
	if _, names, _ := translog.Cosigners(msg, note.VerifierList(logVer, w1Ver)); len(names) != 0 {
		t.Errorf("the log's own checkpoint has cosigners %q", names)
	}
	if _, err := translog.Cosign(changed, w1, note.VerifierList(logVer)); err == nil {
		t.Error("a witness cosigns a checkpoint the log did not sign")
	}
	if _, _, err := translog.Cosigners([]byte(strings.Replace(string(twice), "\n3\n", "\n4\n", 1)), note.VerifierList(logVer, w1Ver)); err == nil {
		t.Error("a changed cosigned checkpoint opens")
	}
}
