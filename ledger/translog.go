package ledger

import sumnote "golang.org/x/mod/sumdb/note"

// LogSettings configures the transparency log of a Service. The log's
// origin, the first line of every checkpoint, is the signer's name.
type LogSettings struct {
	// Signer signs checkpoints; without one none can be made.
	Signer sumnote.Signer
}
