package ledger_test

import (
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

func TestScoreExpiresExactly(t *testing.T) {
	f := newFixture(t)
	f.publish("capped.yaml", capped)
	f.person("capped", zhang, "张三")
	f.record("capped", zhang, "late-fee", "2026-05-01", "l1") // lasts 3m: counts until 2026-08-01
	for _, tc := range []struct {
		date string
		want int64
	}{
		{"2026-04-30", 100},
		{"2026-05-01", 90},
		{"2026-07-31", 90},
		{"2026-08-01", 100},
	} {
		if got, _ := f.score("capped", zhang, tc.date); got != tc.want {
			t.Errorf("score at end of %s = %d, want %d", tc.date, got, tc.want)
		}
	}
	s := f.scoreOf("capped", zhang, "2026-06-01")
	if s.NextExpiry == nil || s.NextExpiry.At.Format("2006-01-02") != "2026-08-01" || s.NextExpiry.ScoreAfter != 100 || s.NextExpiry.Points != 10 {
		t.Errorf("next expiry = %+v, want 2026-08-01 +10 then 100", s.NextExpiry)
	}
}

func TestFactorsNameTheLargestEffects(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	f.record("jiakuang-majia", zhang, "labour.volunteer", "2026-03-02", "a", "hours=8")
	f.record("jiakuang-majia", zhang, "labour.volunteer", "2026-03-09", "b", "hours=8")
	f.record("jiakuang-majia", zhang, "donation", "2026-03-03", "c", "value=3000")
	f.record("jiakuang-majia", zhang, "family.military", "2026-03-04", "d")
	s := f.scoreOf("jiakuang-majia", zhang, "2026-03-31")
	var got []string
	for _, fa := range s.Factors {
		got = append(got, fa.Rule)
	}
	if strings.Join(got, ",") != "donation,family.military,labour.volunteer" {
		t.Errorf("factors = %v, want donation, family.military, labour.volunteer", got)
	}
	if s.Factors[2].Points != 4 || s.Factors[2].Records != 2 {
		t.Errorf("volunteer factor = %+v, want 4 points from 2 records", s.Factors[2])
	}
	if s.Marks == nil || s.Marks.Flags != 7 || s.Marks.Stars != 2 {
		t.Errorf("marks = %+v, want 44 points = 7 flags and 2 stars", s.Marks)
	}
}

func TestUnscoredWithoutConsentOrUnderAge(t *testing.T) {
	f := newFixture(t)
	f.publish("capped.yaml", capped)
	f.person("capped", zhang, "张三")
	f.enrol("capped", zhang, false) // withdraws consent
	f.record("capped", zhang, "late-fee", "2026-05-01", "l1")
	s := f.scoreOf("capped", zhang, "2026-05-31")
	if s.Scored || s.Score != nil || !strings.Contains(s.Unscored, "consent") {
		t.Errorf("without consent: scored %v score %v unscored %q; want no score, citing consent", s.Scored, s.Score, s.Unscored)
	}
	minor := "110105201001010037" // born 2010-01-01
	if _, err := f.svc.AddSubject(f.ctx, ledger.NewSubject{Kind: tally.Person, Identifier: minor, Name: "小明"}); err != nil {
		t.Fatal(err)
	}
	f.enrol("capped", minor, true)
	if s := f.scoreOf("capped", minor, "2026-06-01"); s.Scored || !strings.Contains(s.Unscored, "minor") {
		t.Errorf("minor: scored %v unscored %q, want not scored as a minor", s.Scored, s.Unscored)
	}
}

// Conduct is scored by the rulebook version in force when it happened.
func TestVersionInForceScoresConduct(t *testing.T) {
	f := newFixture(t)
	f.publish("capped.yaml", capped)
	f.person("capped", zhang, "张三")
	v2 := strings.Replace(strings.Replace(capped, "effective: 2026-01-01", "effective: 2026-11-26", 1), "points: hours / 4", "points: hours / 2", 1)
	pub := f.publish("capped-v2.yaml", v2)
	if pub.Version.Version != 2 {
		t.Fatalf("version = %d, want 2", pub.Version.Version)
	}
	before := f.record("capped", zhang, "help", "2026-11-25", "h-old", "hours=8")
	after := f.record("capped", zhang, "help", "2026-11-26T09:00", "h-new", "hours=8")
	if before.Version != 1 || before.Awarded != 2 || after.Version != 2 || after.Awarded != 4 {
		t.Errorf("before: v%d %+d; after: v%d %+d; want v1 +2 and v2 +4", before.Version, before.Awarded, after.Version, after.Awarded)
	}
}

func TestPublishRefusesRetroactiveVersions(t *testing.T) {
	f := newFixture(t)
	f.publish("capped.yaml", capped)
	again := f.publish("capped.yaml", capped)
	if !again.Unchanged || again.Version.Version != 1 {
		t.Errorf("same file again: unchanged %v version %d, want unchanged version 1", again.Unchanged, again.Version.Version)
	}
	backdated := strings.Replace(capped, "base: 100", "base: 200", 1)
	_, err := f.svc.Publish(f.ctx, "capped.yaml", []byte(backdated))
	wantCode(t, err, tally.EInvalid, "before today")
	vs, err := f.svc.Versions(f.ctx, "capped")
	if err != nil || len(vs) != 1 {
		t.Errorf("versions = %d (%v), want 1", len(vs), err)
	}
}

func TestPublishRefusesABadRulebook(t *testing.T) {
	f := newFixture(t)
	bad := strings.Replace(capped, `    basis: "Test regulation art. 1"`+"\n", "", 1)
	_, err := f.svc.Publish(f.ctx, "bad.yaml", []byte(bad))
	wantCode(t, err, tally.EInvalid, "bad.yaml")
	if !strings.Contains(err.Error(), "late-fee") || !strings.Contains(err.Error(), "basis") {
		t.Errorf("error = %q, want it to name the rule and the missing basis", err)
	}
}

func TestWrongKeyIsRefused(t *testing.T) {
	f := newFixture(t)
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, _ := ledger.NewVault(key)
	other := ledger.New(f.db, vault, ledger.Options{})
	wantCode(t, other.Check(f.ctx), tally.EInvalid, "does not match")
}

// Public statistics withhold counts under MinCell; admins see them all.
func TestStatisticsWithholdSmallCounts(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	var ids []string
	for i := 0; i < 6; i++ {
		body := "37108219800101" + string(rune('0'+i)) + "11"
		ids = append(ids, body+string(tally.ResidentCheck(body)))
		f.person("rongcheng-city", ids[i], "居民")
	}
	f.approve(f.record("rongcheng-city", ids[1], "utilities.equipment-damage", "2026-11-01", "p/1").ID) // 900: grade B
	grades := func(st *ledger.Statistics) map[string]any {
		out := map[string]any{}
		for _, g := range st.Grades {
			if g.Subjects == nil {
				out[g.Grade] = nil
			} else {
				out[g.Grade] = *g.Subjects
			}
		}
		return out
	}
	pub, err := f.svc.Statistics(as(tally.Public, "anyone", nil), "rongcheng-city", now)
	if err != nil {
		t.Fatal(err)
	}
	if g := grades(pub); g["A"] != 5 || g["B"] != nil || g["D"] != 0 || pub.Total == nil || *pub.Total != 5900 || !pub.Suppressed {
		t.Errorf("public statistics: grades %v total %v suppressed %v; want A 5, B withheld, total 5900", g, pub.Total, pub.Suppressed)
	}
	all, err := f.svc.Statistics(f.ctx, "rongcheng-city", now)
	if err != nil {
		t.Fatal(err)
	}
	if g := grades(all); g["B"] != 1 || all.Suppressed {
		t.Errorf("admin statistics: grades %v suppressed %v; want B 1, nothing withheld", g, all.Suppressed)
	}
}
