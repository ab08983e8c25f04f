package ledger_test

import "testing"

// A city resident starts at 1,000 and grade A; deductions move the grade
// across bands; a deduction stops counting exactly when it expires.
func TestCityGradesMoveWithDeductions(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	check := func(date string, wantScore int64, wantGrade string) {
		t.Helper()
		score, grade := f.score("rongcheng-city", zhang, date)
		if score != wantScore || grade != wantGrade {
			t.Errorf("at end of %s: %d %s, want %d %s", date, score, grade, wantScore, wantGrade)
		}
	}
	check("2026-01-01", 1000, "A")
	f.record("rongcheng-city", zhang, "contract.breach-judgment", "2026-02-10", "court/2026-17") // -50 for 1y
	check("2026-02-10", 950, "B")
	held := f.record("rongcheng-city", zhang, "utilities.equipment-damage", "2026-03-01", "penalty/88") // -100 for 3y
	check("2026-03-01", 950, "B")                                                                       // held: -100 is above the threshold of 50
	f.approve(held.ID)
	check("2026-03-01", 850, "B")
	f.record("rongcheng-city", zhang, "utilities.late-fees", "2026-03-05", "notice/9") // -20 for 3m
	check("2026-03-05", 830, "C")
	check("2026-06-04", 830, "C")
	check("2026-06-05", 850, "B") // the late-fee deduction has expired
	check("2027-02-09", 850, "B")
	check("2027-02-10", 900, "B")                                                        // the judgment deduction has expired
	f.record("rongcheng-city", zhang, "public-good.heroic-act", "2026-11-20", "award/1") // +30 for 2y
	check("2026-11-20", 880, "B")
	check("2027-02-10", 930, "B")
}
