package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
)

// The village whose example resident the showcase is about.
const village = "jiakuang-majia"

// The texts the showcase writes, so that a reader can find each item on
// its page.
const (
	OpenGrounds       = "那天我干了8个小时，不是4个小时 / I worked 8 hours that day, not 4"
	DecidedGrounds    = "我每月都给父亲送生活费 / I send my father money every month"
	DecisionReasons   = "村委会走访核实，父亲确认三个月未收到赡养费 / the committee visited; the father confirmed no support for three months"
	AppealGrounds     = "我有银行转账记录，请镇里复核 / I have bank transfer receipts: I ask the township to review"
	RepairReasons     = "已当场清理并参加两次环境整治 / cleaned up at once and joined two clean-up days"
	RepairObligations = "当场清理，并参加两次村环境整治 / cleaned up and joined two clean-up days"
	WaitingRepair     = "已向村保洁基金捐款并清扫村口一周 / gave to the village cleaning fund and swept the gate for a week"
	ClerkConsent      = "本人在村委会签署同意书 / signed the consent form at the committee"
	ClerkPublication  = "本人同意上榜公示 / agreed to the honour board"
	CaseNumber        = "（2026）鲁1082执1234号"
	CheckedMeasure    = "high-speed-rail"
)

// TypedTexts are what the showcase's people typed, in both languages on
// purpose: data as stored, which the tests of Chinese-only output leave out.
func TypedTexts() []string {
	return []string{OpenGrounds, DecidedGrounds, DecisionReasons, AppealGrounds, RepairReasons, RepairObligations, WaitingRepair, ClerkConsent, ClerkPublication}
}

// showcase gives the village's example resident one of each thing a
// page can show, through the use cases a clerk, resident, reviewer and
// verifier would call, and closes the last month with its board.
type showcase struct {
	svc      *ledger.Service
	clock    *Clock          // svc's clock
	people   *populator      // invents the newcomer the clerk adds
	admin    context.Context // the demo operator
	now      time.Time
	resident Example
	market   tally.Text // the shop scheme's name
	sum      *Summary
}

// run adds the showcase and fills sum.Tour.
func (sc *showcase) run(members []member, rng *rand.Rand) error {
	hidden, err := sc.publication(members, rng)
	if err != nil {
		return err
	}
	recs, err := sc.records()
	if err != nil {
		return err
	}
	seen := sights{period: localtime.StartOfMonth(sc.now, nil).AddDate(0, -1, 0).Format("2006-01"), market: sc.market,
		waitingRepair: WaitingRepair}
	if seen.onBoard, seen.hidden, seen.reward, err = sc.closeMonth(seen.period, hidden); err != nil {
		return err
	}
	if err := sc.listAndCheck(); err != nil {
		return err
	}
	resident, err := sc.signIn("resident")
	if err != nil {
		return err
	}
	reviewer, err := sc.signIn("reviewer")
	if err != nil {
		return err
	}
	if err := sc.objections(resident, reviewer, recs); err != nil {
		return err
	}
	if err := sc.repair(resident, reviewer, recs); err != nil {
		return err
	}
	clerk, err := sc.signIn("recorder")
	if err != nil {
		return err
	}
	who := sc.people.identity(tally.Person, false)
	seen.clerkAdded = who.Name
	if seen.clerkSubject, err = sc.clerkAdds(clerk, Example{Identifier: who.ID, Name: who.Name}); err != nil {
		return err
	}
	promised, err := sc.commitments(sc.sum.Try[city])
	if err != nil {
		return err
	}
	sc.sum.Tour = append(tour(seen), promised)
	return nil
}

// publication records most scored villagers' agreement to appear on the
// honour board and the others' refusal; it returns who refused.
func (sc *showcase) publication(members []member, rng *rand.Rand) (map[string]bool, error) {
	refused := map[string]bool{}
	for _, m := range members {
		if !m.scored {
			continue
		}
		given := rng.IntN(100) >= 20
		if !given {
			refused[m.Name] = true
		}
		if err := sc.svc.SetPublication(sc.admin, village, m.ID, given, "演示用公示同意书"); err != nil {
			return nil, fmt.Errorf("demo publication consent: %w", err)
		}
	}
	return refused, nil
}

// residentRecords are the records the showcase acts on.
type residentRecords struct{ volunteer, neglect, littering, litteringAgain int64 }

// records writes the example resident's own year: two merits and two
// deductions, recorded by the demo operator.
func (sc *showcase) records() (residentRecords, error) {
	var out residentRecords
	for i, c := range []struct {
		rule, evidence string
		facts          []string
		days           int
		into           *int64
	}{
		{"labour.volunteer", "", []string{"hours=4"}, 40, &out.volunteer},
		{"neighbours.help", "", nil, 30, nil},
		{"family.neglect-elderly", "村委会决定 2026-07 号 / committee decision", nil, 20, &out.neglect},
		{"conduct.littering", "信息员照片 / gatherer's photo", nil, 10, &out.littering},
		{"conduct.littering", "信息员照片 / gatherer's photo", nil, 12, &out.litteringAgain},
	} {
		r, err := sc.svc.Record(sc.admin, ledger.Conduct{Scheme: village, Identifier: sc.resident.Identifier, Rule: c.rule,
			FactArgs: c.facts, Evidence: c.evidence, At: sc.now.AddDate(0, 0, -c.days).Truncate(time.Hour),
			Ref: fmt.Sprintf("demo/showcase/%d", i+1)})
		if err != nil {
			return out, fmt.Errorf("demo record %s: %w", c.rule, err)
		}
		if c.into != nil {
			*c.into = r.Record.ID
		}
	}
	return out, nil
}

// closeMonth closes period in the village and returns a role model's
// name, the name of one who refused publication (with marks, if any has)
// and a reward's item, to look for on the board and the sheet.
func (sc *showcase) closeMonth(period string, refused map[string]bool) (onBoard, hidden string, reward tally.Text, err error) {
	if _, _, err := sc.svc.Close(sc.admin, village, period, nil); err != nil {
		return "", "", tally.Text{}, fmt.Errorf("demo close %s: %w", period, err)
	}
	b, err := sc.svc.HonourBoard(sc.admin, village, period, 0)
	if err != nil {
		return "", "", tally.Text{}, err
	}
	named := map[string]bool{}
	for _, e := range b.Entries {
		named[e.Name] = true
	}
	if len(b.RoleModels) > 0 {
		onBoard = b.RoleModels[0].Name
	}
	marked := false
	err = sc.svc.EachCloseRow(sc.admin, village, period, func(r *tally.CloseRow) error {
		if !refused[r.Name] || named[r.Name] || !r.Scored || (hidden != "" && (marked || r.Flags+r.Stars == 0)) {
			return nil
		}
		hidden, marked = r.Name, r.Flags+r.Stars > 0
		return nil
	})
	if err != nil {
		return "", "", tally.Text{}, err
	}
	rewards, err := sc.svc.Rewards(sc.admin, village, period)
	if err != nil {
		return "", "", tally.Text{}, err
	}
	if onBoard == "" || hidden == "" || len(rewards) == 0 {
		return "", "", tally.Text{}, fmt.Errorf("demo close %s: %d names on the board, refused %q, %d rewards; want some of each (more villagers?)", period, len(b.Entries), hidden, len(rewards))
	}
	return onBoard, hidden, rewards[0].Item, nil
}

// listAndCheck puts the resident on the court's list of judgment
// defaulters and has a railway booking office check them, which is
// answered denied and written to their access log.
func (sc *showcase) listAndCheck() error {
	_, err := sc.svc.List(sc.admin, ledger.Listing{List: "judgment-defaulters", Identifier: sc.resident.Identifier, Name: sc.resident.Name,
		CaseNumber: CaseNumber, Court: "荣成市人民法院 / Rongcheng People's Court",
		DecidedOn: sc.now.AddDate(0, 0, -60), NoticeServed: sc.now.AddDate(0, 0, -55),
		Grounds: "有履行能力而拒不履行生效判决 / able to perform the judgment but refuses",
		Basis:   "最高人民法院关于公布失信被执行人名单信息的若干规定 第一条 / SPC Provisions on the list, art. 1"})
	if err != nil {
		return fmt.Errorf("demo listing: %w", err)
	}
	checker := checkindex.NewChecker(sc.svc, checkindex.CheckerOptions{})
	if err := checker.Load(sc.admin); err != nil {
		return err
	}
	verifier := ledger.WithActor(sc.admin, &tally.Actor{Name: "12306-demo", Role: tally.Verifier, Categories: []string{CheckedMeasure}})
	ans, err := checker.Check(verifier, checkindex.CheckQuery{Identifier: sc.resident.Identifier, Name: sc.resident.Name, Measure: CheckedMeasure})
	if err != nil {
		return fmt.Errorf("demo check: %w", err)
	}
	if ans.Answer != checkindex.AnswerDenied {
		return fmt.Errorf("demo check answered %s, want denied", ans.Answer)
	}
	return checker.Close(sc.admin)
}

// signIn opens a session of a demo account and returns it as a context.
func (sc *showcase) signIn(name string) (context.Context, error) {
	secret, _, err := sc.svc.SignIn(sc.admin, name, name+"-demo-pass")
	if err != nil {
		return nil, fmt.Errorf("demo sign-in %s: %w", name, err)
	}
	a, _, err := sc.svc.Session(sc.admin, secret)
	if err != nil {
		return nil, err
	}
	return ledger.WithActor(sc.admin, a), nil
}

// objections: the resident objects to two records; the reviewer, who
// made neither, upholds one, which the resident appeals; the other waits.
func (sc *showcase) objections(resident, reviewer context.Context, recs residentRecords) error {
	if _, err := sc.svc.Object(resident, ledger.ObjectionInput{Scheme: village, Identifier: sc.resident.Identifier,
		Record: recs.volunteer, Grounds: OpenGrounds}); err != nil {
		return fmt.Errorf("demo objection: %w", err)
	}
	o, err := sc.svc.Object(resident, ledger.ObjectionInput{Scheme: village, Identifier: sc.resident.Identifier,
		Record: recs.neglect, Grounds: DecidedGrounds})
	if err != nil {
		return fmt.Errorf("demo objection: %w", err)
	}
	if _, err := sc.svc.Decide(reviewer, ledger.Decision{Objection: o.ID, Outcome: tally.Upheld, Reasons: DecisionReasons}); err != nil {
		return fmt.Errorf("demo decision: %w", err)
	}
	if _, err := sc.svc.Appeal(resident, o.ID, AppealGrounds, ""); err != nil {
		return fmt.Errorf("demo appeal: %w", err)
	}
	return nil
}

// repair: the resident applies to end a littering deduction early and the
// reviewer approves; an application for the other one waits.
func (sc *showcase) repair(resident, reviewer context.Context, recs residentRecords) error {
	p, err := sc.svc.ApplyRepair(resident, ledger.RepairInput{Scheme: village, Identifier: sc.resident.Identifier, Record: recs.littering,
		Obligations: RepairObligations})
	if err != nil {
		return fmt.Errorf("demo repair: %w", err)
	}
	if _, err := sc.svc.DecideRepair(reviewer, p.ID, true, RepairReasons); err != nil {
		return fmt.Errorf("demo repair decision: %w", err)
	}
	if _, err := sc.svc.ApplyRepair(resident, ledger.RepairInput{Scheme: village, Identifier: sc.resident.Identifier,
		Record: recs.litteringAgain, Obligations: WaitingRepair}); err != nil {
		return fmt.Errorf("demo repair: %w", err)
	}
	return nil
}
