package main

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"io"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/exchange"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/translog"
	"golang.org/x/mod/sumdb/note"
)

// cmdLog keeps the transparency log: its key, checkpoints, proofs, the
// operator's self-check and the logging of entries older than the log.
func cmdLog(e *env, args []string) error {
	return dispatch(e, "log", args,
		subcommand{"key", logKey},
		subcommand{"checkpoint", logCheckpoint},
		subcommand{"proof", logProof},
		subcommand{"consistency", logConsistency},
		subcommand{"verify", logVerify},
		subcommand{"backfill", logBackfill})
}

// logKeyName returns the name of the log's key (ledger.LogKeyName).
func logKeyName(instance string) string { return ledger.LogKeyName(instance) }

// logSigner returns the signer of the log's checkpoints: the report
// signing key (made when create is set and it is missing) under the log's
// key name.
func (e *env) logSigner(svc *ledger.Service, signKeyFlag string, create bool) (note.Signer, error) {
	name, key, err := e.instanceKey(svc, signKeyFlag, create)
	if err != nil {
		return nil, err
	}
	return exchange.NewSigner(logKeyName(name), key)
}

// instanceKey returns the instance's name and its report signing key.
func (e *env) instanceKey(svc *ledger.Service, signKeyFlag string, create bool) (string, ed25519.PrivateKey, error) {
	name, err := svc.InstanceName(e.ctx)
	if err != nil {
		return "", nil, err
	}
	key, err := e.loadSignKey(svc, e.signKeyPath(signKeyFlag), create)
	return name, key, err
}

// openLogged opens the ledger with the log's signer: the instance's
// signing key (made when missing, if create is set) under "<name>/log".
// With optional set, an unnamed instance, or one on PostgreSQL without a
// signing key file, opens without a signer instead of failing: it logs its
// entries but signs no checkpoint.
func (e *env) openLogged(signKeyFlag string, create, optional bool) (*ledger.Service, func(), error) {
	svc, done, err := e.open(false)
	if err != nil {
		return nil, nil, err
	}
	_, err = svc.InstanceName(e.ctx)
	unnamed := tally.ErrorCodeOf(err) == tally.ENotFound
	if optional && (unnamed || (err == nil && e.signKeyPath(signKeyFlag) == "")) {
		return svc, done, nil
	}
	signer, err := e.logSigner(svc, signKeyFlag, create)
	done()
	if err != nil {
		return nil, nil, err
	}
	e.logSettings = ledger.LogSettings{Signer: signer}
	return e.open(false)
}

// logKey prints the log's note verifier key (name+hash+base64), which
// auditors and witnesses check checkpoints with.
func logKey(e *env, args []string) error {
	return printVerifierKey(e, args, "log key", "origin", logKeyName)
}

// checkpointOut is a checkpoint as the commands print it in JSON.
type checkpointOut struct {
	Size int64         `json:"size"`
	Root translog.Hash `json:"root"`
	At   string        `json:"at"`
	Note string        `json:"note"`
}

func checkpointOutOf(c *ledger.LogCheckpoint) checkpointOut {
	return checkpointOut{Size: c.Size, Root: c.Root, At: c.At.UTC().Format("2006-01-02T15:04:05Z"), Note: string(c.Note)}
}

// logCheckpoint signs a checkpoint of the log as it is now (when it grew
// since the latest) and prints the signed note.
func logCheckpoint(e *env, args []string) error {
	fs := e.flags("log checkpoint", "")
	signKey := fs.String("sign-key-file", "", e.text("cli.flag.sign_key_file"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.openLogged(*signKey, false, false)
	if err != nil {
		return err
	}
	defer done()
	c, err := svc.SignLogCheckpoint(e.ctx)
	if err != nil {
		return err
	}
	return e.print(checkpointOutOf(c), func(w io.Writer) { fmt.Fprint(w, string(c.Note)) })
}

// logProof prints an entry's position, leaf and inclusion proof against a
// checkpoint, with the checkpoint.
func logProof(e *env, args []string) error {
	fs := e.flags("log proof", "--kind K --ref R [--size N]")
	kind := fs.String("kind", "", e.text("cli.flag.log_kind"))
	ref := fs.String("ref", "", e.text("cli.flag.log_ref"))
	size := fs.Int64("size", 0, e.text("cli.flag.log_size"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	k, err := ledger.ParseLogKind(*kind)
	if err != nil {
		return e.fieldErrorf("kind", "cli.log.bad_kind", *kind, logKindNames())
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	in, err := svc.LogInclusion(e.ctx, k, *ref, *size)
	if err != nil {
		return err
	}
	out := struct {
		Kind       ledger.LogKind          `json:"kind"`
		Ref        string                  `json:"ref"`
		Index      int64                   `json:"index"`
		Leaf       []byte                  `json:"leaf"`
		Proof      translog.InclusionProof `json:"proof"`
		Checkpoint checkpointOut           `json:"checkpoint"`
	}{in.Kind, in.Ref, in.Index, in.Leaf, in.Proof, checkpointOutOf(in.Checkpoint)}
	return e.print(out, func(w io.Writer) {
		fmt.Fprintln(w, e.text("cli.log.position", in.Kind, in.Ref, in.Index, in.Checkpoint.Size))
		fmt.Fprintln(w, e.text("cli.log.leaf", base64.StdEncoding.EncodeToString(in.Leaf)))
		for _, h := range in.Proof.Path {
			fmt.Fprintln(w, h)
		}
		fmt.Fprintln(w)
		fmt.Fprint(w, string(in.Checkpoint.Note))
	})
}

// logKindNames lists the kinds of logged entries for a message.
func logKindNames() string {
	s := ""
	for i, k := range ledger.LogKinds {
		if i > 0 {
			s += ", "
		}
		s += string(k)
	}
	return s
}

// logConsistency prints the proof that the log of --to entries extends
// the log of --from entries.
func logConsistency(e *env, args []string) error {
	fs := e.flags("log consistency", "--from A --to B")
	from := fs.Int64("from", 0, e.text("cli.flag.log_from"))
	to := fs.Int64("to", 0, e.text("cli.flag.log_to"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	p, err := svc.LogConsistency(e.ctx, *from, *to)
	if err != nil {
		return err
	}
	return e.print(p, func(w io.Writer) {
		fmt.Fprintln(w, e.text("cli.log.consistency", p.To, p.From))
		for _, h := range p.Path {
			fmt.Fprintln(w, h)
		}
	})
}

// logVerify is the operator's self-check: every logged entry against its
// leaf, every entry logged, the tree against the latest checkpoint. Any
// finding fails the command.
func logVerify(e *env, args []string) error {
	fs := e.flags("log verify", "")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	bar := e.bar(e.text("cli.log.verifying"))
	rep, err := svc.VerifyLog(e.ctx, func(n, total int64) {
		bar.count(n, total, "cli.progress.unit_entries", e.text("cli.progress.entries_of", n, total))
	})
	bar.done()
	if err != nil {
		return err
	}
	type findingOut struct {
		Kind    ledger.LogKind    `json:"kind,omitempty"`
		Ref     string            `json:"ref,omitempty"`
		Index   int64             `json:"index"`
		Problem ledger.LogProblem `json:"problem"`
		Text    string            `json:"text"`
	}
	out := struct {
		Leaves     int64          `json:"leaves"`
		Checkpoint *checkpointOut `json:"checkpoint,omitempty"`
		Findings   []findingOut   `json:"findings"`
	}{Leaves: rep.Leaves, Findings: []findingOut{}}
	if rep.Checkpoint != nil {
		c := checkpointOutOf(rep.Checkpoint)
		out.Checkpoint = &c
	}
	for _, f := range rep.Findings {
		out.Findings = append(out.Findings, findingOut{f.Kind, f.Ref, f.Index, f.Problem, e.findingText(f)})
	}
	err = e.print(out, func(w io.Writer) {
		for _, f := range out.Findings {
			fmt.Fprintln(w, f.Text)
		}
		if len(out.Findings) == 0 {
			fmt.Fprintln(w, e.text("cli.log.verified", rep.Leaves))
		}
	})
	if err != nil {
		return err
	}
	if len(rep.Findings) > 0 {
		return e.errorf(tally.EConflict, "cli.log.findings", len(rep.Findings))
	}
	return nil
}

// findingText says a finding of the self-check in the command's language.
func (e *env) findingText(f ledger.LogFinding) string {
	switch f.Problem {
	case ledger.LogChanged:
		return e.text("cli.log.finding_changed", f.Kind, f.Ref, f.Index)
	case ledger.LogMissing:
		return e.text("cli.log.finding_missing", f.Kind, f.Ref, f.Index)
	case ledger.LogUnlogged:
		return e.text("cli.log.finding_unlogged", f.Kind, f.Ref)
	}
	return e.text("cli.log.finding_root")
}

// logBackfill logs the entries written before the log existed.
func logBackfill(e *env, args []string) error {
	fs := e.flags("log backfill", "")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	bar := e.bar(e.text("cli.progress.backfill"))
	n, err := svc.AppendUnlogged(e.ctx, func(appended int) { bar.show(e.text("cli.progress.entries"), appended) })
	bar.done()
	if err != nil {
		return err
	}
	return e.print(map[string]int{"appended": n}, func(w io.Writer) { fmt.Fprintln(w, e.text("cli.log.backfilled", n)) })
}
