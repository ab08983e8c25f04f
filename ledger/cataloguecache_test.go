package ledger_test

import (
	"strings"
	"testing"

	"github.com/tallycredit/tally/examples"
)

// The catalogue in force is compiled once a version: two reads give the
// same catalogue, and a new version is read at the next read.
func TestCatalogueCompiledOnceAVersion(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.PublishCatalogue(f.ctx, "sanctions.yml", examples.Sanctions); err != nil {
		t.Fatal(err)
	}
	first, v1, err := f.svc.Catalogue(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := f.svc.Catalogue(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Errorf("the same version read twice was compiled twice")
	}
	utc := strings.Replace(string(examples.Sanctions), "timezone: Asia/Shanghai", "timezone: UTC", 1)
	if _, err := f.svc.PublishCatalogue(f.ctx, "sanctions-utc.yml", []byte(utc)); err != nil {
		t.Fatal(err)
	}
	next, v2, err := f.svc.Catalogue(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v2 == v1 || next == first || next.Location.String() != "UTC" {
		t.Errorf("after publishing: version %d (was %d), zone %s, want the new version in UTC", v2, v1, next.Location)
	}
}
