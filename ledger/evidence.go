package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"

	"github.com/tallycredit/tally"
)

// MaxEvidence is the largest evidence file accepted: a phone photo,
// compressed.
const MaxEvidence = 5 << 20

// evidenceTypes are the file types accepted as evidence, as sniffed from
// their content (never as the uploader claims).
var evidenceTypes = []string{"image/jpeg", "image/png", "image/webp", "application/pdf"}

// evidencePrefix starts a record's Evidence when it cites a stored file.
const evidencePrefix = "sha256:"

// SaveEvidence stores a file a recorder attaches to a record of scheme
// and returns how the record cites it: "sha256:<hex>", which may be
// followed by a space and a note. The bytes are stored once per content;
// each upload is an item of its own, for scheme and its uploader, which
// the next record of that uploader in scheme that cites it takes (see
// Record). Uploading the same file again before any record cites it adds
// nothing.
func (s *Service) SaveEvidence(ctx context.Context, scheme string, data []byte) (string, error) {
	a := ActorOf(ctx)
	if err := mayWriteIn(a, scheme); err != nil {
		return "", err
	}
	if len(data) == 0 {
		return "", tally.FieldErrorf("photo", "the file is empty")
	}
	if len(data) > MaxEvidence {
		return "", tally.FieldErrorf("photo", "the file is %d bytes; at most %d are accepted", len(data), MaxEvidence)
	}
	kind := http.DetectContentType(data)
	if i := strings.IndexByte(kind, ';'); i >= 0 {
		kind = kind[:i]
	}
	ok := false
	for _, t := range evidenceTypes {
		ok = ok || t == kind
	}
	if !ok {
		return "", tally.FieldErrorf("photo", "a %s file is not accepted: send a JPEG, PNG or WebP photo, or a PDF", kind)
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	err := s.store.Update(ctx, func(tx Tx) error {
		err := tx.InsertEvidence(ctx, &tally.Evidence{Hash: hash, Type: kind, Data: data, UploadedAt: s.now(), UploadedBy: a.Name})
		if err != nil && tally.ErrorCodeOf(err) != tally.EConflict {
			return err
		}
		if it, err := tx.UploadedEvidence(ctx, scheme, hash, a.Name); err == nil && it.RecordID == 0 {
			return nil // waiting for its record already
		} else if err != nil && tally.ErrorCodeOf(err) != tally.ENotFound {
			return err
		}
		return tx.InsertEvidenceItem(ctx, &tally.EvidenceItem{Hash: hash, Scheme: scheme, UploadedAt: s.now(), UploadedBy: a.Name})
	})
	if err != nil {
		return "", err
	}
	return evidencePrefix + hash, nil
}

// citedFile returns the hash of the stored file an Evidence text cites,
// and whether it cites one: "sha256:" and 64 lowercase hex digits, then
// optionally a space and a note.
func citedFile(evidence string) (string, bool, error) {
	rest, ok := strings.CutPrefix(evidence, evidencePrefix)
	if !ok {
		return "", false, nil
	}
	hash, _, _ := strings.Cut(rest, " ")
	if len(hash) != 2*sha256.Size || strings.Trim(hash, "0123456789abcdef") != "" {
		return "", false, tally.FieldErrorf("evidence", "a stored file is cited as sha256: and 64 lowercase hexadecimal digits, not %q", evidencePrefix+hash)
	}
	return hash, true, nil
}

// evidenceFor returns the evidence item a record about to be written
// takes: the file it cites must have been uploaded by the actor for the
// record's scheme and be cited by no other record. It returns nil when
// the record cites no file. The corrected record of an objection decision
// carries the decided record's file as a new item (ID 0, stored when the
// record is).
func (s *Service) evidenceFor(ctx context.Context, tx Evidence, c Conduct, b *batch) (*tally.EvidenceItem, error) {
	hash, ok, err := citedFile(c.Evidence)
	if !ok || err != nil {
		return nil, err
	}
	a := ActorOf(ctx)
	if c.decided {
		return &tally.EvidenceItem{Hash: hash, Scheme: c.Scheme, UploadedAt: s.now(), UploadedBy: c.By}, nil
	}
	if b != nil {
		return nil, tally.FieldErrorf("evidence", "an import cannot attach a stored file (%s%s): attach it on the record page", evidencePrefix, hash)
	}
	it, err := tx.UploadedEvidence(ctx, c.Scheme, hash, a.Name)
	switch {
	case tally.ErrorCodeOf(err) == tally.ENotFound:
		return nil, &tally.Error{Code: tally.EForbidden, Field: "evidence",
			Message: fmt.Sprintf("%s may not cite file %s%s: it was not uploaded by %s for scheme %s", a.Name, evidencePrefix, hash, a.Name, c.Scheme)}
	case err != nil:
		return nil, err
	case it.RecordID != 0:
		return nil, &tally.Error{Code: tally.EConflict, Field: "evidence",
			Message: fmt.Sprintf("file %s%s is already attached to record %d: upload it again to attach it to another", evidencePrefix, hash, it.RecordID)}
	}
	return it, nil
}

// bindEvidence binds the item evidenceFor returned to the record just
// written. A carried-over file whose bytes were never stored is left
// unbound, as the decided record's was.
func (s *Service) bindEvidence(ctx context.Context, tx Evidence, it *tally.EvidenceItem, r *tally.Record) error {
	if it == nil {
		return nil
	}
	if it.ID == 0 {
		err := tx.InsertEvidenceItem(ctx, it)
		if tally.ErrorCodeOf(err) == tally.ENotFound {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return tx.BindEvidence(ctx, it.ID, r.ID)
}

// EvidenceFile returns the file bound to a record, read through the
// record: only those who may read the record get it (its subject, and the
// admins and reviewers of its scheme, who state a purpose) and the
// recorder who recorded it. The read is logged. Staff outside the scheme
// are refused (EForbidden); to anyone else the record's file is ENotFound
// as if the record did not exist. Bytes that no longer hash to what was
// bound are not served: that is an EInternal integrity error.
func (s *Service) EvidenceFile(ctx context.Context, scheme string, recordID int64) (*tally.Evidence, error) {
	a := ActorOf(ctx)
	if err := checkPurpose(ctx, a); err != nil {
		return nil, err
	}
	if err := mayTry(a, OpReadEvidence, scheme); err != nil {
		return nil, err
	}
	hidden := tally.Errorf(tally.ENotFound, "no file for record %d in scheme %s", recordID, scheme)
	var out *tally.Evidence
	var subjectID int64
	err := s.store.View(ctx, func(tx Tx) error {
		r, err := tx.RecordByID(ctx, recordID)
		if tally.ErrorCodeOf(err) == tally.ENotFound || (err == nil && r.Scheme != scheme) {
			return hidden
		}
		if err != nil {
			return err
		}
		if err := s.mayReadRecord(ctx, tx, a, r); err != nil {
			return hidden
		}
		it, err := tx.EvidenceOfRecord(ctx, r.ID)
		if tally.ErrorCodeOf(err) == tally.ENotFound {
			return hidden
		}
		if err != nil {
			return err
		}
		file, err := tx.EvidenceByHash(ctx, it.Hash)
		if err != nil {
			return err
		}
		if err := checkIntegrity(r, it, file); err != nil {
			return err
		}
		subjectID, out = r.SubjectID, file
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, s.logRead(ctx, subjectID, scheme, "evidence", accessDetail("evidence", itoa(recordID)))
}

// mayReadRecord: reading what record r cites, judged on its scheme,
// subject and recorder.
func (s *Service) mayReadRecord(ctx context.Context, tx Subjects, a *tally.Actor, r *tally.Record) error {
	subj, err := tx.SubjectByID(ctx, r.SubjectID)
	if err != nil {
		return err
	}
	return authorize(a, OpReadEvidence, Target{Scheme: r.Scheme, Lookup: subj.Lookup, MadeBy: r.RecordedBy})
}

// checkIntegrity reports an EInternal error unless the file bound to r is
// in r's scheme, is the one r cites, and its bytes still hash to it.
func checkIntegrity(r *tally.Record, it *tally.EvidenceItem, file *tally.Evidence) error {
	cited, _, _ := citedFile(r.Evidence)
	sum := sha256.Sum256(file.Data)
	if it.Scheme == r.Scheme && cited == it.Hash && file.Hash == it.Hash && hex.EncodeToString(sum[:]) == it.Hash {
		return nil
	}
	return tally.Errorf(tally.EInternal, "the file of record %d fails its integrity check: the stored bytes are not those attached (sha256:%s)", r.ID, it.Hash)
}
