package httpapi_test

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/synth"
)

// tableCounts counts the rows of every table of the server's SQLite file.
func (s *server) tableCounts() map[string]int {
	s.t.Helper()
	db, err := sql.Open("sqlite", "file:"+s.path+"?mode=ro")
	if err != nil {
		s.t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		s.t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			s.t.Fatal(err)
		}
		names = append(names, name)
	}
	if err := rows.Close(); err != nil {
		s.t.Fatal(err)
	}
	counts := map[string]int{}
	for _, name := range names {
		var n int
		if err := db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM "%s"`, name)).Scan(&n); err != nil {
			s.t.Fatal(err)
		}
		counts[name] = n
	}
	return counts
}

// Each import endpoint refuses a body whose good rows (more than a batch)
// are followed by a quote never closed: a 400 whose problems name the
// line, column and field of the quote, and not one row of the database
// changed.
func TestImportEndpointsRefuseAnUnclosedQuoteAndChangeNothing(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("village.yaml")
	if _, err := s.svc.PublishCatalogue(s.admin, "sanctions.yml", examples.Sanctions); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.AddSubject(s.admin, ledger.NewSubject{Kind: tally.Person, Identifier: zhang, Name: "张三"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Enrol(s.admin, ledger.Enrolment{Scheme: "jiakuang-majia", Identifier: zhang, Consent: true}); err != nil {
		t.Fatal(err)
	}
	recorder := s.token(ledger.TokenSpec{Name: "recorder-7", Role: tally.Recorder, Schemes: []string{"jiakuang-majia"}})
	admin := s.token(ledger.TokenSpec{Name: "registry", Role: tally.Admin})
	const rows = 600 // more than ledger.DefaultBatch
	rng := rand.New(rand.NewPCG(1, 2))
	var people, records, lists strings.Builder
	people.WriteString("kind,id,name,scheme,unit,consent\n")
	records.WriteString("scheme,subject,rule,at,ref,facts\n")
	lists.WriteString("list,subject,name,case_number,court,decided,notice,grounds,basis\n")
	for i := range rows {
		p := synth.NthPerson(rng, i)
		fmt.Fprintf(&people, "person,%s,%s,jiakuang-majia,一组,yes\n", p.ID, p.Name)
		fmt.Fprintf(&records, "jiakuang-majia,%s,labour.volunteer,2026-03-%02d,api/%d,hours=1\n", zhang, 1+i%28, i)
		fmt.Fprintf(&lists, "judgment-defaulters,%s,%s,(2025)鲁1082执%d号,荣成市人民法院,2025-10-01,2025-10-02,refuses,SPC art. 1\n", p.ID, p.Name, i)
	}
	for _, tc := range []struct {
		path, token, file, broken, field string
		column                           int
	}{
		{"/api/v1/subjects/imports", recorder, people.String(), "person,34052419800101001X,\"李四,jiakuang-majia,一组,yes\n", "name", 27},
		{"/api/v1/imports", recorder, records.String(), "jiakuang-majia,360426199101010071,\"labour.volunteer,2026-03-02,api/x\n", "rule", 35},
		{"/api/v1/lists/imports", admin, lists.String(), "judgment-defaulters,34052419800101001X,\"李四,(2025)鲁1082执x号,荣成市人民法院,2025-10-01,2025-10-02,refuses,SPC\n", "name", 40},
	} {
		before := s.tableCounts()
		status, _, p := raw(t, "POST", s.url+tc.path, tc.token, "text/csv", tc.file+tc.broken, map[string]string{"Accept-Language": "en"})
		problems, _ := p["problems"].([]any)
		var first map[string]any
		if len(problems) > 0 {
			first, _ = problems[0].(map[string]any)
		}
		if status != 400 || p["code"] != "invalid" || len(problems) != 1 || first["line"] != float64(rows+2) ||
			first["column"] != float64(tc.column) || first["field"] != tc.field || !strings.Contains(p["detail"].(string), "nothing was imported") {
			t.Errorf("%s: %d %v, want 400 invalid with one problem at line %d, column %d (%s)", tc.path, status, p, rows+2, tc.column, tc.field)
		}
		after := s.tableCounts()
		for table, n := range before {
			if after[table] != n {
				t.Errorf("%s: table %s has %d rows before, %d after a refused file", tc.path, table, n, after[table])
			}
		}
		// The good rows alone go in.
		status, _, rep := raw(t, "POST", s.url+tc.path, tc.token, "text/csv", tc.file, nil)
		if bad, _ := rep["bad"].([]any); status != 200 || rep["rows"] != float64(rows) || len(bad) == rows {
			t.Errorf("%s without the broken row: %d %v, want 200 with %d rows", tc.path, status, rep, rows)
		}
	}
}
