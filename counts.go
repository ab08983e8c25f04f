package tally

import "time"

// Standing is what the ledger knows of a record beyond its own fields:
// whether a reversal undid it, whether it waits for a second person, and
// when an approved repair ended it. The zero value is a record nobody has
// reversed, held or repaired.
type Standing struct {
	// Reversed: a reversal of the record exists (a void, a correction, or
	// the rejection of its hold, which appends one).
	Reversed bool
	// Held: the record is held for a second person and no decision has
	// been made yet (Hold.Pending).
	Held bool
	// RepairedAt is when the earliest approved repair of the record was
	// decided; zero if none was approved.
	RepairedAt time.Time
}

// Until returns the instant from which record r no longer counts, given
// its standing: the earlier of its expiry and its repair's approval, or
// the zero time if neither ends it.
func (r *Record) Until(s Standing) time.Time {
	end := r.ExpiresAt
	if !s.RepairedAt.IsZero() && (end.IsZero() || s.RepairedAt.Before(end)) {
		end = s.RepairedAt
	}
	return end
}

// Counts reports whether record r counts in a score at instant at, given
// its standing. It is the one definition of what counts: r counts when
//
//   - it is an original (not a reversal) and nobody has reversed it;
//   - it is not held for a second person without a decision (an approved
//     hold counts from when the record happened; a rejected one appends a
//     reversal, so the record never counts);
//   - it happened at or before at;
//   - it had not expired at at (ExpiresAt after at, or never);
//   - no repair approved at or before at ended it.
//
// Reversals and holds are taken as they stand now, not as they stood at
// at: a reversed record never counted, at any instant.
//
// The stores answer the same question in SQL, for speed: the condition
// in package sqlstore behind InEffect, PointsInEffect and WindowRecords
// mirrors this method, and the randomized differential test of the
// storetest contract suite (CountsAgree) holds the two together on every
// database.
func (r *Record) Counts(s Standing, at time.Time) bool {
	if r.IsReversal() || s.Reversed || s.Held || r.HappenedAt.After(at) {
		return false
	}
	end := r.Until(s)
	return end.IsZero() || end.After(at)
}
