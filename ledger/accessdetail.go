package ledger

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/localtime"
)

// AccessDetail is what an access-log entry says about its action: a code
// with its arguments, which every reader translates from the message
// catalogue ("access.<code>"), so that a resident reads it in the page's
// language. A detail stored by an older version in English is read by its
// known shape; one it cannot read keeps its text in Other and has no Code.
type AccessDetail struct {
	Code  string
	Args  []string
	Other string
}

// detailKind is one kind of access-log detail: its code, the English
// shape an older version stored it in (its groups are the arguments), and
// what each argument is: s shown as stored, w a word the catalogue
// translates ("access.word.<w>"), t an instant shown as a local time, and
// z then e a text stored in Chinese and in English, shown as one argument
// in the reader's language. A kind newer than the English details has no
// old shape.
type detailKind struct {
	code string
	old  *regexp.Regexp
	args string
}

// oldShape anchors an English shape of an older version.
func oldShape(re string) *regexp.Regexp { return regexp.MustCompile(`(?s)^` + re + `$`) }

// detailKinds are the access-log details the ledger writes.
var detailKinds = []detailKind{
	{"listed", oldShape(`listed on (.+?), case (.+?) by (.+)`), "sss"},
	{"removed", oldShape(`removed from (.+?), case (.+?): (.*)`), "ssw"},
	{"as-of", oldShape(`as of (\S+)`), "t"},
	{"records-page", oldShape(`(\d+) records after #(\d+)`), "ss"},
	{"entries-page", oldShape(`(\d+) entries after #(\d+)`), "ss"},
	{"subject-added", oldShape(`(person|organisation) (.+)`), "ws"},
	{"enrolled-organisation", oldShape(`organisation, unit (.*)`), "s"},
	{"consent-given", oldShape(`consent true \((.*)\)`), "s"},
	{"consent-refused", oldShape(`consent false \((.*)\)`), "s"},
	{"publication-given", oldShape(`publication on the honour board true \((.*)\)`), "s"},
	{"publication-refused", oldShape(`publication on the honour board false \((.*)\)`), "s"},
	{"repair-applied", oldShape(`repair #(\d+) of record #(\d+) applied: (.*)`), "sss"},
	{"repair-decided", oldShape(`repair #(\d+) of record #(\d+) (approved|rejected): (.*)`), "ssws"},
	{"evidence", oldShape(`record #(\d+)`), "s"},
	{"objection-filed", oldShape(`objection #(\d+) to (record|entry|score) #(\d+): (.*)`), "swss"},
	{"objection-acknowledged", oldShape(`objection #(\d+) acknowledged`), "s"},
	{"appeal-filed", oldShape(`appeal #(\d+) of objection #(\d+): (.*)`), "sss"},
	{"objection-decided", oldShape(`objection #(\d+) (upheld|corrected|voided): (.*)`), "sws"},
	{"report-issued", oldShape(`credit report (\S+) issued`), "s"},
	{"special-report-issued", oldShape(`special credit report (\S+) issued: areas (.*), (\S+) to (\S+), authorisation (.*)`), "sssss"},
	{"report-verified", oldShape(`credit report (\S+) verified`), "s"},
	{"trend", oldShape(`(\d+) instants`), "s"},
	{"reversed", oldShape(`record #(\d+) reversed by #(\d+): (.*)`), "sss"},
	{"checked", oldShape(`(.+?): (allowed|denied|name_mismatch|invalid) \(ref (.+?), list entry #(\d+)\)`), "swss"},
	{"contact-removed", oldShape(`contact address removed`), ""},
	{"contact-set", oldShape(`contact address set to (.+)`), "s"},
	{"kiosk-code", oldShape(`one-time kiosk code issued, valid until (\S+)`), "t"},
	{"kiosk-used", oldShape(`one-time code used`), ""},
	{"recorded", oldShape(`record #(\d+): (.+?) ([+-]\d+)`), "sss"},
	{"imported", oldShape(`import: record #(\d+): (.+?) ([+-]\d+)`), "sss"},
	{"second-review", oldShape(`record #(\d+) (approved|rejected) at second review: (.*)`), "sws"},
	{"verified", oldShape(`grade at least (.+?): answered (yes|no)`), "sw"},
	{"dry-run", oldShape(`(.+?) would give ([+-]\d+)`), "ss"},
	{"commitment-signed", oldShape(`commitment #(\d+) signed: (.*?) by (\S+), permit (.*)`), "ssss"},
	{"proposed", oldShape(`proposed for (.+?), case (.+?) by (.+?): may state its case until (\S+)`), "ssss"},
	{"stated", oldShape(`stated its case on proposal #(\d+) \((.+?), case (.+?)\)`), "sss"},
	{"proposal-dropped", oldShape(`proposal #(\d+) \((.+?), case (.+?)\) dropped: (.*)`), "ssss"},
	{"commitment-settled", oldShape(`commitment #(\d+) (fulfilled|breached): (.*)`), "sws"},
	{"shared", nil, "swsssze"},
	{"received", nil, "swsss"},
}

// detailEligibility is the code of an eligibility answer's detail, whose
// arguments are pairs: a measure and how many reasons deny it ("0":
// allowed).
const detailEligibility = "eligibility"

// kindOf returns the kind of a code.
func kindOf(code string) (detailKind, bool) {
	for _, k := range detailKinds {
		if k.code == code {
			return k, true
		}
	}
	return detailKind{}, false
}

// accessDetail is the stored form of a detail: its code, then its
// arguments as a JSON array, such as `listed ["court-dishonest","(2026)京01执1","某法院"]`.
func accessDetail(code string, args ...string) string {
	if len(args) == 0 {
		return code
	}
	raw, _ := json.Marshal(args)
	return code + " " + string(raw)
}

// String is the detail as the access log stores it.
func (d AccessDetail) String() string {
	if d.Code == "" {
		return d.Other
	}
	return accessDetail(d.Code, d.Args...)
}

// ParseAccessDetail reads a stored access-log detail: a code with its
// arguments, or the English text an older version stored.
func ParseAccessDetail(stored string) AccessDetail {
	code, rest, _ := strings.Cut(stored, " ")
	var args []string
	if rest == "" || json.Unmarshal([]byte(rest), &args) == nil {
		if k, ok := kindOf(code); ok && len(args) == len(k.args) {
			return AccessDetail{Code: code, Args: args}
		}
		if code == detailEligibility && len(args) > 0 && len(args)%2 == 0 {
			return AccessDetail{Code: code, Args: args}
		}
	}
	for _, k := range detailKinds {
		if k.old == nil {
			continue
		}
		if m := k.old.FindStringSubmatch(stored); m != nil {
			return AccessDetail{Code: k.code, Args: m[1:]}
		}
	}
	if args, ok := oldEligibility(stored); ok {
		return AccessDetail{Code: detailEligibility, Args: args}
	}
	return AccessDetail{Other: stored}
}

var (
	oldAllowed = oldShape(`(.+?): allowed`)
	oldDenied  = oldShape(`(.+?): denied \((\d+) reasons\)`)
)

// oldEligibility reads an eligibility detail an older version stored:
// "air-travel: allowed; loans: denied (2 reasons)".
func oldEligibility(stored string) ([]string, bool) {
	var args []string
	for _, part := range strings.Split(stored, "; ") {
		if m := oldAllowed.FindStringSubmatch(part); m != nil {
			args = append(args, m[1], "0")
		} else if m := oldDenied.FindStringSubmatch(part); m != nil {
			args = append(args, m[1], m[2])
		} else {
			return nil, false
		}
	}
	return args, true
}

// Text is the detail in both languages, from the message catalogue; a
// detail without a code reads as stored.
func (d AccessDetail) Text() tally.Text {
	if d.Code == "" {
		return tally.Text{Zh: d.Other, En: d.Other}
	}
	if d.Code == detailEligibility {
		return eligibilityDetailText(d.Args)
	}
	k, _ := kindOf(d.Code)
	return inBoth(func(m catalog.Catalogue, lang string) string {
		args := make([]any, 0, len(d.Args))
		for i, a := range d.Args {
			switch k.args[i] {
			case 'w':
				args = append(args, m.TextOr("access.word."+a, a))
			case 't':
				args = append(args, localInstant(a))
			case 'z': // the next argument is its English
				if lang != "zh" && i+1 < len(d.Args) {
					a = d.Args[i+1]
				}
				args = append(args, a)
			case 'e':
			default:
				args = append(args, a)
			}
		}
		return m.Text("access."+d.Code, args...)
	})
}

// eligibilityDetailText says, measure by measure, whether it was allowed.
func eligibilityDetailText(args []string) tally.Text {
	var zh, en []string
	for i := 0; i+1 < len(args); i += 2 {
		var t tally.Text
		if args[i+1] == "0" {
			t = message("access.eligibility.allowed", args[i])
		} else {
			t = message("access.eligibility.denied", args[i], args[i+1])
		}
		zh, en = append(zh, t.Zh), append(en, t.En)
	}
	return tally.Text{Zh: strings.Join(zh, "；"), En: strings.Join(en, "; ")}
}

// localInstant shows a stored instant as a local day and minute: in its
// own offset, or in the default zone when it was stored in UTC.
func localInstant(stored string) string {
	t, err := time.Parse(time.RFC3339Nano, stored)
	if err != nil {
		return stored
	}
	if _, offset := t.Zone(); offset == 0 {
		return localtime.DateTime(t, nil)
	}
	return t.Format(localtime.DateTimeLayout)
}

// instantArg is an instant as a detail stores it.
func instantArg(t time.Time) string { return t.Format(time.RFC3339) }

// AccessDetailText is a stored access-log detail in both languages; a
// detail it does not know is shown as stored.
func AccessDetailText(stored string) tally.Text { return ParseAccessDetail(stored).Text() }

// choiceDetail is the detail of a consent or publication choice (what),
// given or refused, and how it was made.
func choiceDetail(what string, given bool, how string) string {
	if given {
		return accessDetail(what+"-given", how)
	}
	return accessDetail(what+"-refused", how)
}

// itoa is a number as a detail's argument.
func itoa[N int | int64](n N) string { return strconv.FormatInt(int64(n), 10) }

// signed is points as a detail's argument: +2, -5.
func signed(points int64) string { return fmt.Sprintf("%+d", points) }
