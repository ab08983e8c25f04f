package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
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

// SaveEvidence stores a file a recorder attaches to a record and returns
// how the record cites it: "sha256:<hex>", which may be followed by a
// space and a note. The same file twice is stored once.
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
		if tally.ErrorCodeOf(err) == tally.EConflict {
			return nil
		}
		return err
	})
	return evidencePrefix + hash, err
}

// EvidenceFile returns the file a record cites, for those who may read
// the record, and for the recorder who made it. The read is logged.
func (s *Service) EvidenceFile(ctx context.Context, scheme string, recordID int64) (*tally.Evidence, error) {
	a := ActorOf(ctx)
	if err := checkPurpose(ctx, a); err != nil {
		return nil, err
	}
	var out *tally.Evidence
	var subjectID int64
	err := s.store.View(ctx, func(tx Tx) error {
		r, err := tx.RecordByID(ctx, recordID)
		if err != nil {
			return err
		}
		if r.Scheme != scheme {
			return tally.Errorf(tally.ENotFound, "record %d is not in scheme %s", recordID, scheme)
		}
		if !(a.Role == tally.Recorder && r.RecordedBy == a.Name && a.InScheme(scheme)) {
			subj, err := tx.SubjectByID(ctx, r.SubjectID)
			if err != nil {
				return err
			}
			id, err := s.vault.Open(subj.Sealed)
			if err != nil {
				return err
			}
			if err := s.mayRead(a, scheme, id); err != nil {
				return err
			}
		}
		hash, ok := strings.CutPrefix(r.Evidence, evidencePrefix)
		hash, _, _ = strings.Cut(hash, " ")
		if !ok {
			return tally.Errorf(tally.ENotFound, "record %d cites no stored file", recordID)
		}
		subjectID = r.SubjectID
		out, err = tx.EvidenceByHash(ctx, hash)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.logRead(ctx, subjectID, scheme, "evidence", "record #"+strconv.FormatInt(recordID, 10))
}
