package report

import (
	"context"
	"crypto/ed25519"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// Issuer issues and verifies the deployment's credit reports: the ledger
// decides what a report says and records its issue; the Issuer prints it
// and seals it with the deployment's signing key. It is safe for
// concurrent use.
type Issuer struct {
	Service *ledger.Service
	Key     ed25519.PrivateKey
	Font    string // a CJK .ttf (FindFont)
	// VerifyURL is the verification address the QR code carries, up to
	// the code, e.g. "https://credit.example.gov.cn/verify/".
	VerifyURL string
}

// Issue issues a subject's credit report for a purpose in lang (zh or en)
// and returns the issue and the sealed PDF.
func (is *Issuer) Issue(ctx context.Context, identifier, purpose, lang string) (*tally.IssuedReport, []byte, error) {
	return is.Service.IssueReport(ctx, identifier, purpose, lang, is.finish)
}

// IssueSpecial issues a special credit report (the areas and period the
// request names), sealed and verifiable as Issue's.
func (is *Issuer) IssueSpecial(ctx context.Context, req ledger.SpecialRequest) (*tally.IssuedReport, []byte, error) {
	return is.Service.IssueSpecialReport(ctx, req, is.finish)
}

// finish prints a report and seals it with the deployment's key.
func (is *Issuer) finish(r *ledger.Report) ([]byte, string, error) {
	pdf, err := PDF(r, Layout{Font: is.Font, VerifyURL: is.VerifyURL, Fingerprint: Fingerprint(is.Public())})
	if err != nil {
		return nil, "", err
	}
	return Seal(pdf, r.Code, is.Key), ledger.Digest(pdf), nil
}

// Public returns the key that verifies the Issuer's reports.
func (is *Issuer) Public() ed25519.PublicKey { return is.Key.Public().(ed25519.PublicKey) }

// Verify checks a sealed document: its signature against the deployment's
// key, then that a report was issued under its code with its digest. It
// returns what was issued (when, for what purpose, about whom) and logs
// the verification in the subject's access log. A document that fails
// either check is ErrNotGenuine.
func (is *Issuer) Verify(ctx context.Context, doc []byte) (*tally.IssuedReport, error) {
	code, digest, err := Check(doc, is.Public())
	if err != nil {
		return nil, err
	}
	issued, err := is.Service.VerifyReport(ctx, code)
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		return nil, ErrNotGenuine
	}
	if err != nil {
		return nil, err
	}
	if issued.Digest != digest {
		return nil, ErrNotGenuine
	}
	return issued, nil
}
