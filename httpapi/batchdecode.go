package httpapi

import (
	"bytes"
	"net/http"
	"unicode/utf8"

	"github.com/tallycredit/tally/wire"
)

// decodeBatch reads the body of a batch check. The body a verifier's
// system sends (an object of measure, purpose and items of subject and
// name, strings without escapes) is read by a scanner that takes every
// string as a part of one copy of the body, ten thousand items without
// reflection or an allocation each. Any other body goes to decode's strict
// reading, so that a fault is refused exactly as on every other route.
func decodeBatch(r *http.Request) (wire.BatchRequest, error) {
	var in wire.BatchRequest
	var buf bytes.Buffer
	if n := r.ContentLength; n > 0 && n <= DefaultMaxUpload {
		buf.Grow(int(n) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(r.Body); err != nil {
		return in, readError(err)
	}
	if in, ok := scanBatch(buf.Bytes()); ok {
		return in, nil
	}
	return in, decodeBytes(buf.Bytes(), &in)
}

// scanBatch reads a batch request of the plain shape and says whether it
// was one; when it says yes, the request is what encoding/json reads.
func scanBatch(body []byte) (wire.BatchRequest, bool) {
	sc := scanner{s: string(body)}
	var in wire.BatchRequest
	var seen [3]bool
	ok := sc.object(func(key string) bool {
		switch key {
		case "measure":
			return once(&seen[0]) && sc.str(&in.Measure)
		case "purpose":
			return once(&seen[1]) && sc.str(&in.Purpose)
		case "items":
			return once(&seen[2]) && sc.items(&in.Items)
		}
		return false
	})
	sc.space()
	return in, ok && sc.i == len(sc.s)
}

// once marks a key as seen and says whether it was new: a repeated key is
// left to encoding/json.
func once(seen *bool) bool {
	if *seen {
		return false
	}
	*seen = true
	return true
}

// scanner reads JSON of a fixed shape from s; each method says whether
// what it found was of that shape.
type scanner struct {
	s string
	i int
}

func (sc *scanner) space() {
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		default:
			return
		}
	}
}

// next skips white space and takes c if it comes next.
func (sc *scanner) next(c byte) bool {
	sc.space()
	if sc.i < len(sc.s) && sc.s[sc.i] == c {
		sc.i++
		return true
	}
	return false
}

// str reads a string without escapes or control characters, in valid
// UTF-8, into dst.
func (sc *scanner) str(dst *string) bool {
	if !sc.next('"') {
		return false
	}
	start, ascii := sc.i, true
	for ; sc.i < len(sc.s); sc.i++ {
		switch c := sc.s[sc.i]; {
		case c == '"':
			v := sc.s[start:sc.i]
			sc.i++
			if !ascii && !utf8.ValidString(v) {
				return false
			}
			*dst = v
			return true
		case c == '\\' || c < 0x20:
			return false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return false
}

// object reads an object whose every member field reads.
func (sc *scanner) object(field func(key string) bool) bool {
	if !sc.next('{') {
		return false
	}
	if sc.next('}') {
		return true
	}
	for {
		var key string
		if !sc.str(&key) || !sc.next(':') || !field(key) {
			return false
		}
		if sc.next('}') {
			return true
		}
		if !sc.next(',') {
			return false
		}
	}
}

// items reads an array of objects of subject and name.
func (sc *scanner) items(dst *[]wire.BatchItem) bool {
	if !sc.next('[') {
		return false
	}
	items := make([]wire.BatchItem, 0, 64)
	if !sc.next(']') {
		for {
			var it wire.BatchItem
			var seen [2]bool
			ok := sc.object(func(key string) bool {
				switch key {
				case "subject":
					return once(&seen[0]) && sc.str(&it.Subject)
				case "name":
					return once(&seen[1]) && sc.str(&it.Name)
				}
				return false
			})
			if !ok {
				return false
			}
			items = append(items, it)
			if sc.next(']') {
				break
			}
			if !sc.next(',') {
				return false
			}
		}
	}
	*dst = items
	return true
}
