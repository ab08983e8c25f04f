package httpapi

import (
	"encoding/json"

	"github.com/tallycredit/tally/wire"
)

// encodedJSON is a body already encoded: writeJSON sends it as it is.
type encodedJSON []byte

// MarshalJSON returns the body, for a caller that encodes it again (an
// idempotent replay keeps it).
func (e encodedJSON) MarshalJSON() ([]byte, error) { return e, nil }

// encodeBatchAnswers writes the answers of a batch check as json.Marshal
// writes them, without reflection: ten thousand items a body.
func encodeBatchAnswers(a wire.BatchAnswers) (encodedJSON, error) {
	asOf, err := a.AsOf.MarshalJSON()
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, 64+len(a.Items)*48)
	b = append(b, `{"measure":`...)
	b = appendJSONString(b, a.Measure)
	b = append(b, `,"as_of":`...)
	b = append(b, asOf...)
	b = append(b, `,"items":`...)
	if a.Items == nil {
		return append(b, "null}"...), nil
	}
	b = append(b, '[')
	for i, it := range a.Items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"answer":`...)
		b = appendJSONString(b, it.Answer)
		b = append(b, `,"ref":`...)
		b = appendJSONString(b, it.Ref)
		if it.Error != "" {
			b = append(b, `,"error":`...)
			b = appendJSONString(b, it.Error)
		}
		if it.Disputed {
			b = append(b, `,"disputed":true`...)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...), nil
}

// appendJSONString appends s as a JSON string, escaped as json.Marshal
// escapes it.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
