package tally

import "time"

// Objected names one record or list entry an objection can hold under
// dispute.
type Objected struct {
	Target ObjectionTarget // TargetRecord or TargetEntry
	ID     int64
}

// Disputes reports whether objection o holds its record or list entry
// under dispute (有异议) at instant at. It is the one definition of
// disputed: an objection or appeal to a record or list entry disputes it
// from the instant it is filed until the instant it is decided. An
// objection to a score disputes no entry; its appeal, which names the
// record the decision acted on, does. Between a decision and an appeal the
// entry is not disputed; an appeal makes it disputed again until the
// appeal is decided.
//
// The stores answer the same question in SQL (ledger.Objections.Disputed);
// the storetest contract suite (DisputedAgrees) holds the two together on
// every database.
func (o *Objection) Disputes(at time.Time) bool {
	if o.Target == TargetScore || o.FiledAt.After(at) {
		return false
	}
	return o.Decision == nil || o.Decision.At.After(at)
}

// Disputed is the set of records and list entries under dispute at one
// instant. The zero value (nil) disputes nothing.
type Disputed map[Objected]bool

// DisputedAt returns the records and list entries that objections os hold
// under dispute at instant at.
func DisputedAt(os []Objection, at time.Time) Disputed {
	out := Disputed{}
	for i := range os {
		if o := &os[i]; o.Disputes(at) {
			out[Objected{o.Target, o.TargetID}] = true
		}
	}
	return out
}

// Record reports whether record id is disputed.
func (d Disputed) Record(id int64) bool { return d[Objected{TargetRecord, id}] }

// Entry reports whether list entry id is disputed.
func (d Disputed) Entry(id int64) bool { return d[Objected{TargetEntry, id}] }
