package parse

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// jsonLines reads a JSON Lines file a line at a time, each within
// MaxRowBytes.
type jsonLines struct {
	br   *bufio.Reader
	line int
}

func newJSONLines(br *bufio.Reader) *jsonLines {
	if br.Size() < MaxRowBytes {
		br = bufio.NewReaderSize(br, MaxRowBytes)
	}
	return &jsonLines{br: br}
}

// next returns the next line that is not blank and its number, io.EOF at
// the end. A line over MaxRowBytes comes back as bad; the reading goes on
// after it.
func (j *jsonLines) next() (text []byte, line int, bad *RowError, err error) {
	for {
		text, err = j.br.ReadSlice('\n')
		j.line++
		if errors.Is(err, bufio.ErrBufferFull) {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = j.br.ReadSlice('\n')
			}
			if err != nil && err != io.EOF {
				return nil, 0, nil, err
			}
			return nil, j.line, badRow(j.line, 0, "", "the line is longer than %d bytes", MaxRowBytes), nil
		}
		if len(text) == 0 && err != nil {
			return nil, 0, nil, err
		}
		if err != nil && err != io.EOF {
			return nil, 0, nil, err
		}
		if len(bytes.TrimSpace(text)) > 0 {
			return text, j.line, nil, nil
		}
		if err == io.EOF {
			return nil, 0, nil, io.EOF
		}
	}
}

// decodeLine decodes one JSON Lines row into v, allowing only v's names.
// A line that does not decode is malformed, with the column and field at
// fault where the decoder tells them.
func decodeLine(text []byte, line int, v any, numbers bool) *RowError {
	if t := bytes.TrimLeft(text, " \t\ufeff"); len(t) > 0 && t[0] != '{' {
		return badRow(line, utf8.RuneCount(text[:len(text)-len(t)])+1, "", "not a JSON object: a line of a JSON Lines file is one {...}")
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if numbers {
		dec.UseNumber()
	}
	err := dec.Decode(v)
	if err == nil {
		tail := text[dec.InputOffset():]
		if rest := bytes.TrimLeft(tail, " \t\r\n"); len(rest) > 0 {
			off := len(text) - len(rest)
			return badRow(line, utf8.RuneCount(text[:off])+1, "", "text after the row's object")
		}
		return nil
	}
	col := func(off int64) int {
		if off < 0 || int(off) > len(text) {
			return 0
		}
		return utf8.RuneCount(text[:off]) + 1
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return badRow(line, col(se.Offset-1), "", "not a JSON object: %s", strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te):
		return badRow(line, col(te.Offset-1), te.Field, "want a %s, not a JSON %s", te.Type, te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return badRow(line, col(int64(len(bytes.TrimRight(text, " \t\r\n")))), "", "the object is not closed")
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	field := ""
	if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
		field = strings.Trim(name, `"`)
		msg = "unknown name " + name
	}
	return badRow(line, 0, field, "%s", msg)
}
