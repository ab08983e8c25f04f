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
	out := fs.String("out", "", e.text("cli.flag.gen_out"))
	var spec synth.Spec
	fs.IntVar(&spec.Persons, "persons", 10_000, e.text("cli.flag.gen_persons"))
	fs.IntVar(&spec.ShopCount, "shops", 500, e.text("cli.flag.gen_shops"))
	fs.IntVar(&spec.Records, "records", 100_000, e.text("cli.flag.gen_records"))
	fs.IntVar(&spec.ListEntries, "list-entries", 1_000, e.text("cli.flag.gen_list_entries"))
	seed := fs.Uint64("seed", 1, e.text("cli.flag.gen_seed"))
	end := fs.String("end", "", e.text("cli.flag.gen_end"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return e.fieldErrorf("out", "cli.gen.name_out")
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
			return e.fieldErrorf("end", "cli.gen.bad_end", *end)
		}
	}
	spec.End = time.Date(spec.End.Year(), spec.End.Month(), spec.End.Day(), 0, 0, 0, 0, city.Location)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return e.fileError(tally.EInvalid, "out", *out, err)
	}
	files := map[string]*os.File{}
	for _, name := range []string{"people.csv", "records.csv", "lists.csv"} {
		path := filepath.Join(*out, name)
		f, err := os.Create(path)
		if err != nil {
			return e.fileError(tally.EInvalid, "out", path, err)
		}
		defer f.Close()
		files[name] = f
	}
	bar := e.bar(e.text("cli.progress.gen"))
	began, stageNow := time.Now(), ""
	err = synth.Generate(spec, synth.Output{People: files["people.csv"], Records: files["records.csv"], Lists: files["lists.csv"]},
		func(stage string, n, total int) {
			if stage != stageNow {
				stageNow = stage
				bar.restart()
			}
			bar.count(int64(n), int64(total), "cli.progress.unit_rows", fmt.Sprintf("%s %d/%d", stage, n, total))
		})
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
		fmt.Fprintln(w, e.text("cli.gen.wrote", *out, spec.Persons, spec.ShopCount, spec.Records, spec.End.Format(time.DateOnly), spec.ListEntries, time.Since(began).Seconds()))
		fmt.Fprintln(w, e.text("cli.gen.load", *out))
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
