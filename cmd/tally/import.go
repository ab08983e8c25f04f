package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	rows "github.com/tallycredit/tally/parse" // named so: parse is the flag helper of this package
)

func cmdImport(e *env, args []string) error {
	fs := e.flags("import", e.text("cli.synopsis.import_file"))
	format := fs.String("format", "", e.text("cli.flag.import_format"))
	pos, err := e.parse(fs, args, "FILE")
	if err != nil {
		return err
	}
	in, closeIn, err := e.input(pos[0])
	if err != nil {
		return err
	}
	defer closeIn()
	in, f := importFormat(in, pos[0], *format)
	rep, err := e.importFrom(in, f)
	if err != nil {
		if ferr := e.refused(pos[0], err); ferr != nil {
			return ferr
		}
		inFile(err, pos[0])
		return err
	}
	if perr := e.print(rep, func(w io.Writer) {
		e.printBad(w, pos[0], rep.Bad)
		fmt.Fprintln(w, e.text("cli.import_records_done", pos[0], rep.Rows, rep.Recorded, rep.Replayed, len(rep.Bad)))
	}); perr != nil {
		return perr
	}
	if len(rep.Bad) > 0 {
		return e.errorf(tally.EInvalid, "cli.import_bad_rows", len(rep.Bad))
	}
	return nil
}

// importFrom imports a file, locally with progress on a terminal, or by
// sending it to a server.
func (e *env) importFrom(in io.Reader, format rows.Format) (*ledger.ImportReport, error) {
	if e.remote() {
		ct := "text/csv"
		switch format {
		case rows.JSONL:
			ct = "application/jsonl"
		case rows.XLSX:
			ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		}
		r, err := e.client().Import(e.ctx, ct, in, nil)
		if err != nil {
			return nil, err
		}
		rep := &ledger.ImportReport{Rows: r.Rows, Recorded: r.Recorded, Replayed: r.Unchanged, Bad: []rows.RowError{}}
		for _, b := range r.Bad {
			rep.Bad = append(rep.Bad, rows.RowError{Line: b.Line, Ref: b.Ref, Code: b.Code, Message: b.Message})
		}
		return rep, nil
	}
	svc, done, err := e.open(false)
	if err != nil {
		return nil, err
	}
	defer done()
	bar := e.bar(e.text("cli.progress.import"))
	defer bar.done()
	return svc.Import(e.ctx, in, ledger.ImportOptions{Format: format, Progress: func(r ledger.ImportReport) {
		line := e.text("cli.progress.rows_of_recorded", r.Rows, r.Total, r.Recorded, r.Replayed, len(r.Bad))
		bar.count(int64(r.Rows), int64(r.Total), "cli.progress.unit_rows", line)
	}})
}

// importFormat returns the format of an import file and a reader that
// still yields all of it: the --format flag when given; else a workbook
// when the bytes are a zip, whatever the name (standard input has none,
// and a name can be wrong); else the name's extension; else what the
// first bytes show.
func importFormat(in io.Reader, name, given string) (io.Reader, rows.Format) {
	if given != "" {
		return in, rows.Format(given)
	}
	sniffed, in := rows.Sniff(in)
	if f := rows.FormatOf(name, ""); f != "" && sniffed != rows.XLSX {
		return in, f
	}
	return in, sniffed
}

// input opens a file named on the command line, or standard input for "-".
func (e *env) input(name string) (io.Reader, func(), error) {
	if name == "-" {
		return e.stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, e.fileError(tally.ENotFound, "", name, err)
	}
	return f, func() { f.Close() }, nil
}

// printBad prints bad rows as FILE:LINE: MESSAGE, with the column after
// the line when it is known, as compilers and editors show a place.
func (e *env) printBad(w io.Writer, file string, bad []rows.RowError) {
	for _, b := range bad {
		switch {
		case b.Cell != "":
			fmt.Fprintf(w, "%s:%d: %s: %s\n", file, b.Line, e.text("cli.cell", strings.TrimSuffix(b.Cell+" ("+b.Field+")", " ()")), b.Message)
		case b.Column > 0 && b.Field != "":
			fmt.Fprintf(w, "%s:%d:%d: %s: %s\n", file, b.Line, b.Column, b.Field, b.Message)
		case b.Column > 0:
			fmt.Fprintf(w, "%s:%d:%d: %s\n", file, b.Line, b.Column, b.Message)
		default:
			fmt.Fprintf(w, "%s:%d: %s\n", file, b.Line, b.Message)
		}
	}
}

// refused prints every malformed row of a file an importer refused and
// returns the error to end the command with; nil when err is not such a
// refusal.
func (e *env) refused(file string, err error) error {
	var fe *rows.FileError
	if !errors.As(err, &fe) {
		return nil
	}
	view := struct {
		Malformed int             `json:"malformed"`
		Bad       []rows.RowError `json:"bad"`
	}{fe.Count, fe.Bad}
	if perr := e.print(view, func(w io.Writer) {
		e.printBad(w, file, fe.Bad)
		if fe.Count > len(fe.Bad) {
			fmt.Fprintln(w, e.text("cli.import_more_malformed", file, fe.Count-len(fe.Bad)))
		}
	}); perr != nil {
		return perr
	}
	return e.errorf(tally.EInvalid, "cli.import_malformed", file, fe.Count)
}
