package wire

// Problem is an RFC 9457 problem document: the body of every refusal and
// fault. Code is stable per kind of error, so clients can branch on it:
// one of the domain's (invalid, not_found, conflict, forbidden, internal,
// unavailable) or the HTTP layer's (unauthorized, too_large,
// rate_limited, malformed). Field is a JSON pointer or parameter name at
// fault, and Line the line or row of an uploaded file.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Code   string `json:"code"`
	Field  string `json:"field,omitempty"`
	Line   int    `json:"line,omitempty"`
	// Problems lists every fault of a refused rulebook, with its line, or
	// every malformed row of a refused import file, with its line and
	// column.
	Problems []Fault `json:"problems,omitempty"`
	// RequestID is the request's ID (also in the X-Request-Id header and
	// the server's log line), to quote when reporting a failure.
	RequestID string `json:"request_id,omitempty"`
}

// Fault is one problem found in a rulebook or an import file: where it is
// and what is wrong. Warning marks a rulebook problem that does not stop
// publication.
type Fault struct {
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Cell    string `json:"cell,omitempty"` // in an Excel workbook, such as H3
	Rule    string `json:"rule,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	Warning bool   `json:"warning,omitempty"`
}
