package ledger

import "context"

// MayReadLog returns nil when the caller may read the transparency log
// (everyone may: it holds commitments, nothing personal), else the
// refusal. The log's routes ask it before they answer, so that they go
// through the one policy like every other route.
func (s *Service) MayReadLog(ctx context.Context) error {
	return authorize(ActorOf(ctx), OpReadLog, Target{})
}
