package wire

// Page is one page of a list. Next is the cursor to send for the page
// after it; it is empty (and left out) on the last page.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next_cursor,omitempty"`
}
