package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

// A recorder adds and enrols a village from a CSV file over the API; a
// verifier may not.
func TestImportSubjectsThroughTheAPI(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("village.yaml")
	ctx := context.Background()
	recorder := s.client(ledger.TokenSpec{Name: "recorder-7", Role: tally.Recorder, Schemes: []string{"jiakuang-majia"}})
	file := "kind,id,name,scheme,unit,consent\n" +
		"person,360426199101010071,张三,jiakuang-majia,一组,yes\n" +
		"person,34052419800101001X,李四,jiakuang-majia,二组,no\n" +
		"person,340524198001010013,王五,jiakuang-majia,一组,yes\n"
	rep, err := recorder.ImportSubjects(ctx, strings.NewReader(file), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 3 || rep.Added != 2 || rep.Enrolled != 2 || len(rep.Bad) != 1 || rep.Bad[0].Line != 4 {
		t.Errorf("report = %+v, want 2 added and enrolled, line 4 bad", rep)
	}
	verifier := s.client(ledger.TokenSpec{Name: "bank", Role: tally.Verifier})
	_, err = verifier.ImportSubjects(ctx, strings.NewReader(file), nil)
	wantStatus(t, "a verifier imports subjects", err, 403, "forbidden")
}
