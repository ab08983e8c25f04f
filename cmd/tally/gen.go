package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/rulebook"
	"github.com/tallycredit/tally/synth"
)

// cmdGen writes a synthetic population for benchmarks and trials: the
// three files the import commands read, from the example rulebooks.
func cmdGen(e *env, args []string) error {
	fs := e.flags("gen", "--out DIR [--persons N] [--shops N] [--records N] [--list-entries N] [--seed S] [--end DATE]")
	out := fs.String("out", "", "folder to write people.csv, records.csv and lists.csv into (made if missing)")
	var spec synth.Spec
	fs.IntVar(&spec.Persons, "persons", 10_000, "residents of the city scheme, with valid identity numbers")
	fs.IntVar(&spec.ShopCount, "shops", 500, "shops of the market scheme, with valid credit codes")
	fs.IntVar(&spec.Records, "records", 100_000, "records over the year before --end")
	fs.IntVar(&spec.ListEntries, "list-entries", 1_000, "persons on the judgment-defaulter list")
	seed := fs.Uint64("seed", 1, "random seed: the same seed and --end give byte-identical files")
	end := fs.String("end", "", "the day the year of records ends (default: today)")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return tally.FieldErrorf("out", "name the folder to write into")
	}
	city, err := exampleBook("city.yaml")
	if err != nil {
		return err
	}
	market, err := exampleBook("market.yaml")
	if err != nil {
		return err
	}
	spec.Seed, spec.Residents, spec.Shops = *seed, city, market
	spec.List, spec.Units = "judgment-defaulters", []string{"宁津街道", "港湾街道", "斥山街道", "崖头街道", "城西街道"}
	spec.End = time.Now().In(city.Location)
	if *end != "" {
		if spec.End, err = time.ParseInLocation(time.DateOnly, *end, city.Location); err != nil {
			return tally.FieldErrorf("end", "%q: want a date such as 2026-11-01", *end)
		}
	}
	spec.End = time.Date(spec.End.Year(), spec.End.Month(), spec.End.Day(), 0, 0, 0, 0, city.Location)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	files := map[string]*os.File{}
	for _, name := range []string{"people.csv", "records.csv", "lists.csv"} {
		f, err := os.Create(filepath.Join(*out, name))
		if err != nil {
			return err
		}
		defer f.Close()
		files[name] = f
	}
	bar := newProgress(e.stderr, "gen")
	began := time.Now()
	err = synth.Generate(spec, synth.Output{People: files["people.csv"], Records: files["records.csv"], Lists: files["lists.csv"]},
		func(stage string, n, total int) { bar.show("%s %d/%d", stage, n, total) })
	bar.done()
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := f.Close(); err != nil {
			return err
		}
	}
	summary := map[string]any{"out": *out, "persons": spec.Persons, "shops": spec.ShopCount, "records": spec.Records,
		"list_entries": spec.ListEntries, "seed": spec.Seed, "end": spec.End.Format(time.DateOnly)}
	return e.print(summary, func(w io.Writer) {
		fmt.Fprintf(w, "wrote %s/people.csv (%d persons, %d shops), records.csv (%d records to %s), lists.csv (%d entries) in %.1fs\n",
			*out, spec.Persons, spec.ShopCount, spec.Records, spec.End.Format(time.DateOnly), spec.ListEntries, time.Since(began).Seconds())
		fmt.Fprintf(w, "load them with: tally subjects import %[1]s/people.csv; tally import %[1]s/records.csv; tally lists import %[1]s/lists.csv\n", *out)
	})
}

// exampleBook loads one of the embedded example rulebooks.
func exampleBook(name string) (*rulebook.Book, error) {
	src, err := examples.Rulebooks.ReadFile(name)
	if err != nil {
		return nil, err
	}
	b, rep := rulebook.Load(name, src)
	if err := rep.Err(); err != nil {
		return nil, err
	}
	return b, nil
}
