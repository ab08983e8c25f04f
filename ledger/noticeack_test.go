package ledger_test

import (
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// A resident acknowledges their own notice once: a second acknowledgment
// changes nothing (it answers with the first, who and when); another
// resident, a reviewer or an admin may not acknowledge it, and an unknown
// notice is not found. The office reads the acknowledgment in the outbox.
func TestResidentAcknowledgesOwnNoticeOnce(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	f.person("jiakuang-majia", li, "李四")
	if _, err := f.svc.Record(as(tally.Recorder, "recorder-7", nil), f.conduct("jiakuang-majia", zhang, "conduct.littering", "2026-11-20", "ack/1")); err != nil {
		t.Fatal(err)
	}
	mine, err := f.svc.Outbox(f.subjectCtx(zhang), ledger.OutboxQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 1 || mine[0].Ack != nil {
		t.Fatalf("got notices %+v, want one, not acknowledged", mine)
	}
	id := mine[0].ID

	_, err = f.svc.AcknowledgeNotice(f.subjectCtx(li), id)
	wantCode(t, err, tally.EForbidden, "")
	_, err = f.svc.AcknowledgeNotice(reviewerCtx("reviewer-1"), id)
	wantCode(t, err, tally.EForbidden, "")
	_, err = f.svc.AcknowledgeNotice(f.ctx, id)
	wantCode(t, err, tally.EForbidden, "")
	_, err = f.svc.AcknowledgeNotice(f.subjectCtx(zhang), id+100)
	wantCode(t, err, tally.ENotFound, "")

	first, err := f.svc.AcknowledgeNotice(f.subjectCtx(zhang), id)
	if err != nil {
		t.Fatal(err)
	}
	if first.Ack == nil || !first.Ack.At.Equal(now) || first.Ack.By != "subject 0071" {
		t.Fatalf("got acknowledgment %+v, want subject 0071 at %v", first.Ack, now)
	}
	again, err := f.svc.AcknowledgeNotice(f.subjectCtx(zhang), id)
	if err != nil {
		t.Fatalf("acknowledging twice: %v, want the first acknowledgment back", err)
	}
	if again.Ack == nil || !again.Ack.At.Equal(first.Ack.At) || again.Ack.By != first.Ack.By {
		t.Errorf("the second acknowledgment answered %+v, want the first %+v", again.Ack, first.Ack)
	}
	office, err := f.svc.Outbox(f.ctx, ledger.OutboxQuery{Identifier: zhang})
	if err != nil {
		t.Fatal(err)
	}
	if len(office) != 1 || office[0].Ack == nil || office[0].Ack.By != "subject 0071" || !office[0].Ack.At.Equal(now) {
		t.Errorf("the office reads %+v, want the notice acknowledged by subject 0071", office)
	}
}
