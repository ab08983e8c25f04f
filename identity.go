package tally

import (
	"strings"
	"time"
)

// SubjectKind says whether a subject is a natural person or an organisation.
type SubjectKind string

// The subject kinds.
const (
	Person       SubjectKind = "person"
	Organisation SubjectKind = "organisation"
)

// ParseSubjectKind accepts "person" or "organisation" (also "org").
func ParseSubjectKind(s string) (SubjectKind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "person":
		return Person, nil
	case "organisation", "organization", "org":
		return Organisation, nil
	}
	return "", Errorf(EInvalid, "unknown subject kind %q (want person or organisation)", s)
}

// AdultAge is the age from which a person may be scored.
const AdultAge = 18

// ResidentID is a parsed, valid 18-character resident identity number
// (GB 11643-1999).
type ResidentID struct {
	Number string    // the 18 characters, with an upper-case X
	Area   string    // the 6-digit administrative area code
	Born   time.Time // date of birth, midnight UTC
	Female bool      // an even sequence number
}

var residentWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const residentChecks = "10X98765432"

// ResidentCheck returns the check character for the first 17 digits of a
// resident identity number. It panics if s is not 17 digits.
func ResidentCheck(s string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(s[i]-'0') * residentWeights[i]
	}
	return residentChecks[sum%11]
}

// ParseResidentID validates a resident identity number: length, digits,
// birth date, and check character. The error says which of these is wrong.
func ParseResidentID(s string) (ResidentID, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 18 {
		return ResidentID{}, Errorf(EInvalid, "resident ID must have 18 characters, has %d", len(s))
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return ResidentID{}, Errorf(EInvalid, "resident ID character %d is %q; the first 17 must be digits", i+1, s[i])
		}
	}
	born, ok := calendarDay(s[6:14])
	if !ok {
		return ResidentID{}, Errorf(EInvalid, "resident ID birth date %s is not a real date", s[6:14])
	}
	if last := s[17]; (last < '0' || last > '9') && last != 'X' {
		return ResidentID{}, Errorf(EInvalid, "resident ID check character is %q; want a digit or X", last)
	}
	if want := ResidentCheck(s); s[17] != want {
		return ResidentID{}, Errorf(EInvalid, "resident ID check character is %c, want %c: a digit is mistyped", s[17], want)
	}
	return ResidentID{Number: s, Area: s[:6], Born: born, Female: (s[16]-'0')%2 == 0}, nil
}

// calendarDay reads 8 digits YYYYMMDD as a day of the calendar, midnight
// UTC, as time.Parse("20060102") would but without its cost: a batch
// check reads ten thousand of them.
func calendarDay(digits string) (time.Time, bool) {
	n := func(from, to int) int {
		v := 0
		for _, c := range digits[from:to] {
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, m, d := n(0, 4), time.Month(n(4, 6)), n(6, 8)
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC) // normalises, so a day that does not exist moves
	if t.Month() != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// AdultOn returns the day the person turns AdultAge.
func (r ResidentID) AdultOn() time.Time { return r.Born.AddDate(AdultAge, 0, 0) }

// USCCAlphabet lists the characters of a Unified Social Credit Code; a
// character's value is its index.
const USCCAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCCheck returns the check character for the first 17 characters of a
// Unified Social Credit Code, or an error naming a character outside the
// alphabet.
func USCCCheck(s string) (byte, error) {
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(USCCAlphabet, s[i])
		if v < 0 {
			return 0, Errorf(EInvalid, "credit code character %d is %q, which is not in the alphabet (no I, O, S, V, Z)", i+1, s[i])
		}
		sum += v * usccWeights[i]
	}
	return USCCAlphabet[(31-sum%31)%31], nil
}

// ParseUSCC validates a Unified Social Credit Code (GB 32100-2015) and
// returns it in upper case.
func ParseUSCC(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 18 {
		return "", Errorf(EInvalid, "credit code must have 18 characters, has %d", len(s))
	}
	want, err := USCCCheck(s)
	if err != nil {
		return "", err
	}
	for i := 2; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", Errorf(EInvalid, "credit code character %d is %q; characters 3-8 are an area code of digits", i+1, s[i])
		}
	}
	if s[17] != want {
		return "", Errorf(EInvalid, "credit code check character is %c, want %c: a character is mistyped", s[17], want)
	}
	return s, nil
}

// ParseIdentifier validates an identifier of the given kind and returns its
// canonical form.
func ParseIdentifier(kind SubjectKind, s string) (string, error) {
	if kind == Organisation {
		return ParseUSCC(s)
	}
	id, err := ParseResidentID(s)
	return id.Number, err
}

// ParseAnyIdentifier validates an identifier of either kind, a resident
// ID number or a credit code, and returns its canonical form; the
// EInvalid error on the field subject names what is wrong as each.
func ParseAnyIdentifier(s string) (string, error) {
	id, err := ParseResidentID(s)
	if err == nil {
		return id.Number, nil
	}
	code, uerr := ParseUSCC(s)
	if uerr == nil {
		return code, nil
	}
	return "", FieldErrorf("subject", "not a valid identifier: as a resident ID, %v; as a credit code, %v", err, uerr)
}

// MaskIdentifier hides all but the first and last four characters, so that
// a printed identifier cannot be used to impersonate its holder.
func MaskIdentifier(s string) string {
	if len(s) <= 8 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-8) + s[len(s)-4:]
}
