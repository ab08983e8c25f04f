package ledger

import (
	"context"

	"github.com/tallycredit/tally"
)

// AcknowledgeNotice records that the subject read one of its notices
// ("I have read this"), who said so and when, and returns the notice with
// its acknowledgment. Only the subject itself may. A notice is
// acknowledged once: asking again changes nothing and returns the first
// acknowledgment, so a form sent twice is harmless.
func (s *Service) AcknowledgeNotice(ctx context.Context, id int64) (*tally.Notice, error) {
	a := ActorOf(ctx)
	var out *tally.Notice
	err := s.store.Update(ctx, func(tx Tx) error {
		n, err := tx.Notice(ctx, id)
		if err != nil {
			return err
		}
		subj, err := tx.SubjectByID(ctx, n.SubjectID)
		if err != nil {
			return err
		}
		if err := authorize(a, OpAcknowledgeNotice, Target{Scheme: n.Scheme, Lookup: subj.Lookup}); err != nil {
			return err
		}
		if n.Ack == nil {
			n.Ack = &tally.NoticeAck{NoticeID: n.ID, At: s.now(), By: a.Name}
			if err := tx.InsertNoticeAck(ctx, n.Ack); err != nil {
				return err
			}
		}
		out = n
		return nil
	})
	return out, err
}
