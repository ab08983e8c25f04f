package sqlstore

import (
	"strconv"
	"strings"
	"sync"
)

// Dialect is what differs between the SQL of SQLite and of PostgreSQL
// once the drivers are hidden behind Conn. Queries are written for both
// with ? placeholders and, where one engine needs a word the other does
// not understand, a marker comment that Bind replaces:
//
//	/*fence*/         PostgreSQL: OFFSET 0, which keeps a correlated
//	                  subquery a subplan (one index probe per row) instead
//	                  of letting a generic plan turn it into an anti-join
//	/*bytes*/         PostgreSQL: COLLATE "C", to sort text by bytes as
//	                  SQLite and Go do, whatever the database's collation
//	/*materialized*/  PostgreSQL: MATERIALIZED, to keep a CTE from being
//	                  inlined into a worse plan
//	/*i*/LIKE         PostgreSQL: ILIKE, which ignores case as the
//	                  database's collation folds it; SQLite's LIKE
//	                  already ignores the case of ASCII letters (only)
//	/*latest consent*/ the join of an enrolment's latest consent, which
//	                  the engines write differently: LatestConsentLateral
//	                  on PostgreSQL, LatestConsentByID on SQLite
//
// A marker without words in Words is removed.
type Dialect struct {
	// Numbered placeholders: $1, $2, ... instead of ?.
	Numbered bool
	// Words replaces each marker comment.
	Words map[string]string
	// Arrays says the driver binds a Go slice as one array parameter, so
	// that "= ANY(?)" takes a whole set in one placeholder.
	Arrays bool
	// IsUnique and IsForeignKey classify a failed statement.
	IsUnique, IsForeignKey func(error) bool
	// BadText reports an error saying the engine cannot store the text
	// given (PostgreSQL refuses invalid UTF-8 and NUL characters, which
	// SQLite takes); it is EInvalid rather than a fault. Nil for never.
	BadText func(error) bool

	bound sync.Map // query as written -> query as sent
}

// markers are the comments Bind replaces.
var markers = []string{"/*fence*/", "/*bytes*/", "/*materialized*/", "/*i*/", "/*latest consent*/"}

// Bind returns q as the engine takes it: markers replaced and, when
// numbered, each ? turned into $1, $2, ... (no query has a ? inside a
// literal). Results are cached: queries are a small, fixed set of shapes.
func (d *Dialect) Bind(q string) string {
	if b, ok := d.bound.Load(q); ok {
		return b.(string)
	}
	b := q
	for _, m := range markers {
		if strings.Contains(b, m) {
			b = strings.ReplaceAll(b, m, d.Words[m])
		}
	}
	if d.Numbered {
		var sb strings.Builder
		n := 0
		for _, c := range b {
			if c == '?' {
				n++
				sb.WriteString("$" + strconv.Itoa(n))
				continue
			}
			sb.WriteRune(c)
		}
		b = sb.String()
	}
	d.bound.Store(q, b)
	return b
}
