package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// decode reads a JSON body into v, strictly: unknown fields, trailing data
// and wrong types are refused with a JSON pointer to the fault, and an
// oversized body is a 413.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return readError(err)
	}
	return decodeBytes(body, v)
}

// readError says why a body could not be read: too large, or cut short.
func readError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return newProblem(codeTooLarge, "", "problem.body_too_large", tooBig.Limit)
	}
	return newProblem(codeMalformed, "", "problem.body_unreadable", err.Error())
}

func decodeBytes(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return newProblem(codeMalformed, "", "problem.json_trailing")
	}
	return nil
}

// jsonProblem says where a JSON body is wrong, as a JSON pointer.
func jsonProblem(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return newProblem(codeMalformed, "", "problem.json_empty")
	case errors.As(err, &syntax):
		return newProblem(codeMalformed, "", "problem.json_syntax", syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		return newProblem(codeMalformed, pointer(typ.Field), "problem.json_type", typ.Type.String(), typ.Value)
	}
	// encoding/json reports an unknown field only in its message.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return newProblem(codeMalformed, pointer(name), "problem.json_unknown_field", name)
	}
	return newProblem(codeMalformed, "", "problem.json_invalid", err.Error())
}

// pointer turns encoding/json's dotted field path into a JSON pointer.
func pointer(path string) string {
	if path == "" {
		return ""
	}
	return "/" + strings.ReplaceAll(path, ".", "/")
}
