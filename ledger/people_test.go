package ledger_test

import (
	"strings"
	"testing"
)

const peopleCSV = `kind,id,name,scheme,unit,consent,how
person,360426199101010071,张三,jiakuang-majia,一组,yes,signed form
person,34052419800101001X,李四,jiakuang-majia,二组,no,refused at the meeting
person,340524198001010013,王五,jiakuang-majia,一组,yes,
person,11010519491231002X,赵六,jiakuang-majia,一组,,
organisation,91110000600037341L,某某商行,jiakuang-majia,,,
robot,11010519491231002X,机器人,,,,
person,11010519491231002X,赵六,,,,
`

func TestImportPeopleAddsEnrolsAndReportsBadRows(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	rep, err := f.svc.ImportPeople(f.ctx, strings.NewReader(peopleCSV), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 7 || rep.Added != 3 || rep.Enrolled != 2 || len(rep.Bad) != 4 {
		t.Fatalf("report = %+v, want 7 rows, 3 added, 2 enrolled, 4 bad", rep)
	}
	for i, want := range []struct {
		line int
		says string
	}{{4, "check character"}, {5, "consent"}, {6, "does not score a organisation"}, {7, "robot"}} {
		if rep.Bad[i].Line != want.line || !strings.Contains(rep.Bad[i].Message, want.says) {
			t.Errorf("bad row %d = %+v, want line %d saying %q", i, rep.Bad[i], want.line, want.says)
		}
	}
	if s := f.scoreOf("jiakuang-majia", li, "2026-11-26"); s.Scored {
		t.Errorf("李四 refused consent but is scored")
	}
	if got, _ := f.score("jiakuang-majia", zhang, "2026-11-26"); got != 0 {
		t.Errorf("张三's score = %d, want 0", got)
	}
	// The same file again changes nothing.
	rep, err = f.svc.ImportPeople(f.ctx, strings.NewReader(peopleCSV), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 0 || rep.Existed != 3 || rep.Enrolled != 0 || len(rep.Bad) != 4 {
		t.Errorf("second import = %+v, want nothing added or enrolled", rep)
	}
	if subjects, _ := f.counts("jiakuang-majia"); subjects != 2 {
		t.Errorf("enrolled = %d, want 2", subjects)
	}
}
