package workday

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
)

// Year is one year's holiday notice: the days off of each holiday and the
// make-up working days. Every other Saturday and Sunday is off, every
// other weekday a working day.
type Year struct {
	Year   int                 `json:"-"`
	Source string              `json:"source"` // the notice: title, number, date
	Off    map[string][]string `json:"off"`    // days off (YYYY-MM-DD) by holiday name
	Work   []string            `json:"work"`   // make-up working days (YYYY-MM-DD), usually weekends
}

// File is the JSON form of holidays-cn.json and of a file that
// `tally calendar import` reads: years by their number.
type File struct {
	About string          `json:"about,omitempty"`
	Years map[string]Year `json:"years"`
}

// dayLayout is how a day is written in a calendar file.
const dayLayout = "2006-01-02"

// The years a calendar may hold: earlier notices have no use here, and a
// year far ahead cannot have been announced.
const (
	FirstYear = 2000
	LastYear  = 2100
)

// Parse reads a calendar file named name (for the messages) and checks
// every year in it: a year number in range, a source, each day a real
// date of its year, no day both off and a working day or listed twice.
// The error names the file, the path in it and the entry, in Chinese and
// English. The years come out in order.
func Parse(name string, data []byte) ([]Year, error) {
	var f File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: 不是有效的日历文件 / not a calendar file: %w", name, err)
	}
	if len(f.Years) == 0 {
		return nil, fmt.Errorf("%s: years: 文件中没有年份 / the file holds no year", name)
	}
	out := make([]Year, 0, len(f.Years))
	for _, key := range slices.Sorted(maps.Keys(f.Years)) {
		y := f.Years[key]
		n, err := strconv.Atoi(key)
		if err != nil || n < FirstYear || n > LastYear {
			return nil, fmt.Errorf("%s: years.%s: 年份应为 %d 至 %d 之间的数字 / want a year from %d to %d", name, key, FirstYear, LastYear, FirstYear, LastYear)
		}
		y.Year = n
		if err := y.check(); err != nil {
			return nil, fmt.Errorf("%s: years.%s.%w", name, key, err)
		}
		out = append(out, y)
	}
	return out, nil
}

// ParseYear reads one year's entry, as MarshalYear writes it, and checks it.
func ParseYear(year int, data []byte) (Year, error) {
	var y Year
	if err := json.Unmarshal(data, &y); err != nil {
		return Year{}, fmt.Errorf("calendar %d: %w", year, err)
	}
	y.Year = year
	if err := y.check(); err != nil {
		return Year{}, fmt.Errorf("calendar %d: %w", year, err)
	}
	return y, nil
}

// MarshalYear writes one year's entry as it stands in a calendar file.
func MarshalYear(y Year) ([]byte, error) { return json.Marshal(y) }

// check returns the first fault of y, starting with its path below the
// year ("off.春节[2]: ...").
func (y Year) check() error {
	if y.Source == "" {
		return fmt.Errorf("source: 请注明通知的标题、文号和日期 / name the notice: title, number and date")
	}
	seen := map[string]string{} // day -> where it was listed
	for _, name := range slices.Sorted(maps.Keys(y.Off)) {
		if name == "" {
			return fmt.Errorf("off: 假日名称不能为空 / a holiday needs a name")
		}
		for i, d := range y.Off[name] {
			if err := y.listDay(seen, fmt.Sprintf("off.%s[%d]", name, i), d); err != nil {
				return err
			}
		}
	}
	for i, d := range y.Work {
		if err := y.listDay(seen, fmt.Sprintf("work[%d]", i), d); err != nil {
			return err
		}
	}
	return nil
}

// listDay checks the day d listed at path and notes it in seen.
func (y Year) listDay(seen map[string]string, path, d string) error {
	t, err := time.Parse(dayLayout, d)
	switch {
	case err != nil:
		return fmt.Errorf("%s: %q 不是日期（应为 YYYY-MM-DD）/ %q is not a date (want YYYY-MM-DD)", path, d, d)
	case t.Year() != y.Year:
		return fmt.Errorf("%s: %s 不在 %d 年内 / %s is not in %d", path, d, y.Year, d, y.Year)
	}
	if first, dup := seen[d]; dup {
		return fmt.Errorf("%s: %s 已列于 %s，同一天不能既放假又调休上班或重复列出 / %s is already listed at %s: a day is either off or a working day, once",
			path, d, first, d, first)
	}
	seen[d] = path
	return nil
}
