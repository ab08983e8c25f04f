package tally

import "time"

// EvidenceItem is one attachment of a stored file: uploaded by one person
// for one scheme, and bound to the one record that cites it once that
// record is written. The same bytes uploaded twice are two items over one
// stored Evidence, so that each record's file is read only through that
// record and its scheme.
type EvidenceItem struct {
	ID         int64
	Hash       string // hex SHA-256 of the file's bytes: the Evidence it stores
	Scheme     string
	RecordID   int64 // 0 until a record cites it
	UploadedAt time.Time
	UploadedBy string
}
