package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/tallycredit/tally/web/chart"
)

// plot draws how the cost of an import (on each store), a close and a
// score grows with the dataset, from the scaling.csv bench/run.sh writes: one SVG per measure.
func plot(in io.Reader, prefix string) error {
	rows, err := csv.NewReader(in).ReadAll()
	if err != nil {
		return err
	}
	if len(rows) < 2 {
		return fmt.Errorf("scaling.csv has no sizes")
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	series := func(title, desc, field string, per float64) chart.LineChart {
		c := chart.LineChart{Title: title, Desc: desc, YLabel: field}
		for _, r := range rows[1:] {
			v, _ := strconv.ParseFloat(r[col[field]], 64)
			records, _ := strconv.ParseFloat(r[col["records"]], 64)
			if per > 0 {
				v = v / records * per
			}
			c.Points = append(c.Points, chart.Point{Label: r[col["records"]] + " records", Value: v})
		}
		return c
	}
	charts := map[string]chart.LineChart{
		"import":   series("Import cost per million records (s), SQLite", "Seconds to import a million records, at each dataset size: flat means linear cost.", "sqlite_import_s", 1e6),
		"score":    series("Score p99 in process (ms)", "99th percentile of one score computed in process, at each dataset size.", "score_p99_ms", 0),
		"close":    series("Close cost per million records (s), SQLite", "Seconds a month's close takes per million records held, at each dataset size: flat means linear cost.", "close_s", 1e6),
		"pgimport": series("Import cost per million records (s), PostgreSQL", "Seconds to import a million records into PostgreSQL, at each dataset size.", "pg_import_s", 1e6),
	}
	for name, c := range charts {
		if err := os.WriteFile(prefix+"-"+name+".svg", []byte(chart.Line(c)), 0o644); err != nil {
			return err
		}
	}
	return nil
}
