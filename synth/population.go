package synth

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// Spec says what Generate makes. Persons are enrolled in Residents'
// scheme and shops in Shops' scheme; records spread over the year before
// End; list entries put the first ListEntries persons on a court list.
type Spec struct {
	Persons, ShopCount int
	Records            int
	ListEntries        int
	Seed               uint64
	End                time.Time
	Residents, Shops   *rulebook.Book // the schemes persons and shops join
	List               string         // the list entries go on, e.g. judgment-defaulters
	Units              []string       // units persons are spread over
}

// Output is where Generate writes: CSV files in the formats `tally
// subjects import`, `tally import` and `tally lists import` read. A nil
// writer skips that file.
type Output struct {
	People, Records, Lists io.Writer
}

// Progress is told how far Generate has come in a stage.
type Progress func(stage string, done, total int)

// Generate streams a synthetic population and its conduct. It keeps only
// the rules in memory, so its size is bounded by the files, not by RAM;
// the same Spec gives byte-identical files.
func Generate(spec Spec, out Output, progress Progress) error {
	if spec.Persons > 120_000_000 || spec.Persons < 0 || spec.ShopCount < 0 || spec.Records < 0 {
		return tally.FieldErrorf("persons", "want 0 to 120 million persons and no negative counts")
	}
	if spec.ListEntries > spec.Persons {
		return tally.FieldErrorf("list-entries", "%d list entries for %d persons: at most one entry a person", spec.ListEntries, spec.Persons)
	}
	if progress == nil {
		progress = func(string, int, int) {}
	}
	if out.People != nil {
		if err := people(spec, out.People, progress); err != nil {
			return err
		}
	}
	if out.Records != nil {
		if err := records(spec, out.Records, progress); err != nil {
			return err
		}
	}
	if out.Lists != nil {
		return lists(spec, out.Lists, progress)
	}
	return nil
}

// writer is a buffered CSV writer that reports its first error.
type writer struct {
	buf *bufio.Writer
	csv *csv.Writer
}

func newWriter(w io.Writer) *writer {
	buf := bufio.NewWriterSize(w, 1<<20)
	return &writer{buf: buf, csv: csv.NewWriter(buf)}
}

func (w *writer) row(fields ...string) error { return w.csv.Write(fields) }

func (w *writer) close() error {
	w.csv.Flush()
	if err := w.csv.Error(); err != nil {
		return err
	}
	return w.buf.Flush()
}

// every is how often progress is reported.
const every = 100_000

// people writes kind,id,name,scheme,unit,consent: about 5% of persons
// refuse consent.
func people(spec Spec, w io.Writer, progress Progress) error {
	rng := rand.New(rand.NewPCG(spec.Seed, 1))
	cw := newWriter(w)
	_ = cw.row("kind", "id", "name", "scheme", "unit", "consent")
	total := spec.Persons + spec.ShopCount
	for i := 0; i < spec.Persons; i++ {
		p := NthPerson(rng, i)
		consent := "yes"
		if rng.IntN(100) < 5 {
			consent = "no"
		}
		if err := cw.row("person", p.ID, p.Name, spec.Residents.Scheme, spec.Units[rng.IntN(len(spec.Units))], consent); err != nil {
			return err
		}
		if i%every == 0 {
			progress("people", i, total)
		}
	}
	for i := 0; i < spec.ShopCount; i++ {
		s := NthShop(rng, i)
		if err := cw.row("organisation", s.ID, s.Name, spec.Shops.Scheme, "", ""); err != nil {
			return err
		}
	}
	progress("people", total, total)
	return cw.close()
}

// weighted is a rule chosen with probability proportional to its rate.
type weighted struct {
	rules []*rulebook.Rule
	cum   []float64 // cumulative rates
}

func weigh(book *rulebook.Book) weighted {
	var w weighted
	sum := 0.0
	for _, r := range book.Rules {
		sum += Rate(r)
		w.rules = append(w.rules, r)
		w.cum = append(w.cum, sum)
	}
	return w
}

func (w weighted) total() float64 { return w.cum[len(w.cum)-1] }

func (w weighted) pick(rng *rand.Rand) *rulebook.Rule {
	x := rng.Float64() * w.total()
	return w.rules[sort.SearchFloat64s(w.cum, x)%len(w.rules)]
}

// records writes scheme,subject,rule,at,ref,facts,evidence: each record
// goes to a person or a shop in proportion to how often each meets its
// rules, then to a rule by its rate, at a random minute of the year.
func records(spec Spec, w io.Writer, progress Progress) error {
	if spec.Records > 0 && spec.Persons+spec.ShopCount == 0 {
		return tally.FieldErrorf("records", "records need persons or shops")
	}
	rng := rand.New(rand.NewPCG(spec.Seed, 2))
	cw := newWriter(w)
	_ = cw.row("scheme", "subject", "rule", "at", "ref", "facts", "evidence")
	residents, shops := weigh(spec.Residents), weigh(spec.Shops)
	personShare := float64(spec.Persons) * residents.total()
	shopShare := float64(spec.ShopCount) * shops.total()
	start := spec.End.AddDate(-1, 0, 0)
	if spec.Residents.Effective.After(start) || spec.Shops.Effective.After(start) {
		return tally.FieldErrorf("end", "the year before %s starts before a rulebook takes effect", spec.End.Format(time.DateOnly))
	}
	span := spec.End.Sub(start)
	for i := 0; i < spec.Records; i++ {
		book, pool, id := spec.Residents, residents, ""
		if rng.Float64()*(personShare+shopShare) < personShare {
			id = nthPersonID(rng.IntN(spec.Persons))
		} else {
			book, pool, id = spec.Shops, shops, nthShopID(rng.IntN(spec.ShopCount))
		}
		rule := pool.pick(rng)
		at := start.Add(time.Duration(rng.Int64N(int64(span)))).Truncate(time.Minute).In(book.Location)
		evidence := ""
		if rule.EvidenceRequired || rule.Effect == rulebook.Deduction {
			evidence = "decision " + strconv.Itoa(rng.IntN(1_000_000))
		}
		err := cw.row(book.Scheme, id, rule.Code, at.Format(time.RFC3339), "gen/"+strconv.Itoa(i),
			factText(Facts(rng, rule)), evidence)
		if err != nil {
			return err
		}
		if i%every == 0 {
			progress("records", i, spec.Records)
		}
	}
	progress("records", spec.Records, spec.Records)
	return cw.close()
}

// factText writes facts as the record CSV wants them: name=value;...
func factText(facts map[string]any) string {
	keys := make([]string, 0, len(facts))
	for k := range facts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%v", k, facts[k])
	}
	return strings.Join(parts, ";")
}

// lists writes list,subject,name,case_number,court,decided,notice,grounds,
// basis for the first ListEntries persons, with the names people gave
// them, decided in the last two years.
func lists(spec Spec, w io.Writer, progress Progress) error {
	rng := rand.New(rand.NewPCG(spec.Seed, 1)) // the people stream's, for the same names
	cw := newWriter(w)
	_ = cw.row("list", "subject", "name", "case_number", "court", "decided", "notice", "grounds", "basis")
	pick := rand.New(rand.NewPCG(spec.Seed, 3))
	for i := 0; i < spec.ListEntries; i++ {
		p := NthPerson(rng, i)
		rng.IntN(100) // the consent draw of the people stream
		rng.IntN(len(spec.Units))
		decided := spec.End.AddDate(0, 0, -1-pick.IntN(700))
		notice := decided.AddDate(0, 0, 3+pick.IntN(10))
		if notice.After(spec.End) {
			notice = spec.End
		}
		err := cw.row(spec.List, p.ID, p.Name, fmt.Sprintf("(%d)鲁1082执%d号", decided.Year(), 100000+i),
			"荣成市人民法院", decided.Format(time.DateOnly), notice.Format(time.DateOnly),
			"able to perform the judgment and did not", "Civil Procedure Law art. 262; SPC provisions on defaulter lists art. 1")
		if err != nil {
			return err
		}
		if i%every == 0 {
			progress("list entries", i, spec.ListEntries)
		}
	}
	progress("list entries", spec.ListEntries, spec.ListEntries)
	return cw.close()
}
