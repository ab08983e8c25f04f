package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// Exchange keeps what an instance shares with others and takes in from
// them: the agreements (versions append-only), the outbox of changes to
// publish, and on the receiving side how far each issuer's changes have
// been applied and the messages refused.
type Exchange interface {
	// InsertAgreement stores an agreement version; an ID and version that
	// exist are a conflict.
	InsertAgreement(ctx context.Context, a *tally.Agreement) error
	// AgreementVersions returns every version of every agreement, by ID
	// then version.
	AgreementVersions(ctx context.Context) ([]tally.Agreement, error)

	// InsertShare appends a change to the outbox and sets its ID and its
	// Change.Seq (one more than the last for its receiver).
	InsertShare(ctx context.Context, sh *tally.Share) error
	// PendingShares returns up to limit unpublished shares, by ID.
	PendingShares(ctx context.Context, limit int) ([]tally.Share, error)
	// MarkPublished records that the shares were published at at; a share
	// published already keeps its first time.
	MarkPublished(ctx context.Context, ids []int64, at time.Time) error
	// SharesOf returns the shares about a subject, by ID: what the subject
	// sees was sent where.
	SharesOf(ctx context.Context, subjectID int64) ([]tally.Share, error)

	// ReceivedSeq returns the Seq of the last change applied from issuer
	// (0: none yet).
	ReceivedSeq(ctx context.Context, issuer string) (int64, error)
	// SetReceivedSeq records that the changes from issuer up to seq are
	// applied.
	SetReceivedSeq(ctx context.Context, issuer string, seq int64) error
	// InsertRejection appends a refused message and sets its ID.
	InsertRejection(ctx context.Context, r *tally.Rejection) error
	// Rejections returns the refused messages, newest first, up to limit.
	Rejections(ctx context.Context, limit int) ([]tally.Rejection, error)
}
