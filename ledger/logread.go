package ledger

import (
	"context"
	"strconv"
	"strings"

	"github.com/tallycredit/tally"
)

// entryReaders read each kind of logged entry back from the store by its
// key in the log, as the self-check and the backfill need it.
var entryReaders = map[LogKind]func(ctx context.Context, tx Tx, ref string) (loggedEntry, error){
	LogRecord: func(ctx context.Context, tx Tx, ref string) (loggedEntry, error) {
		return byID(ref, LogRecord, func(id int64) (loggedEntry, error) {
			r, err := tx.RecordByID(ctx, id)
			if err != nil {
				return loggedEntry{}, err
			}
			return recordEntry(r)
		})
	},
	LogSubject: func(ctx context.Context, tx Tx, ref string) (loggedEntry, error) {
		return byID(ref, LogSubject, func(id int64) (loggedEntry, error) {
			s, err := tx.SubjectByID(ctx, id)
			if err != nil {
				return loggedEntry{}, err
			}
			return subjectLogEntry(s)
		})
	},
	LogListEntry: func(ctx context.Context, tx Tx, ref string) (loggedEntry, error) {
		return byID(ref, LogListEntry, func(id int64) (loggedEntry, error) {
			e, err := tx.ListEntryByID(ctx, id)
			if err != nil {
				return loggedEntry{}, err
			}
			return listEntryEntry(e)
		})
	},
	LogRemoval: func(ctx context.Context, tx Tx, ref string) (loggedEntry, error) {
		return byID(ref, LogRemoval, func(id int64) (loggedEntry, error) {
			r, err := tx.RemovalByID(ctx, id)
			if err != nil {
				return loggedEntry{}, err
			}
			return removalEntry(r)
		})
	},
	LogObjectionDecision: func(ctx context.Context, tx Tx, ref string) (loggedEntry, error) {
		return byID(ref, LogObjectionDecision, func(id int64) (loggedEntry, error) {
			o, err := tx.Objection(ctx, id)
			if err != nil {
				return loggedEntry{}, err
			}
			if o.Decision == nil {
				return loggedEntry{}, errNoEntry(LogObjectionDecision, ref)
			}
			return objectionDecisionEntry(o.Decision)
		})
	},
	LogRepairDecision: func(ctx context.Context, tx Tx, ref string) (loggedEntry, error) {
		return byID(ref, LogRepairDecision, func(id int64) (loggedEntry, error) {
			r, err := tx.Repair(ctx, id)
			if err != nil {
				return loggedEntry{}, err
			}
			if r.Decision == nil {
				return loggedEntry{}, errNoEntry(LogRepairDecision, ref)
			}
			return repairDecisionEntry(r.Decision)
		})
	},
	LogRulebook: func(ctx context.Context, tx Tx, ref string) (loggedEntry, error) {
		scheme, v, ok := versionRef(ref)
		if !ok {
			return loggedEntry{}, errNoEntry(LogRulebook, ref)
		}
		all, err := tx.Rulebooks(ctx, scheme)
		if err != nil {
			return loggedEntry{}, err
		}
		for i := range all {
			if all[i].Version == v {
				return rulebookEntry(&all[i])
			}
		}
		return loggedEntry{}, errNoEntry(LogRulebook, ref)
	},
	LogCatalogue: func(ctx context.Context, tx Tx, ref string) (loggedEntry, error) {
		v, err := strconv.Atoi(ref)
		if err != nil {
			return loggedEntry{}, errNoEntry(LogCatalogue, ref)
		}
		c, err := tx.CatalogueByVersion(ctx, v)
		if err != nil {
			return loggedEntry{}, err
		}
		return catalogueEntry(c)
	},
	LogAgreement: func(ctx context.Context, tx Tx, ref string) (loggedEntry, error) {
		id, v, ok := versionRef(ref)
		if !ok {
			return loggedEntry{}, errNoEntry(LogAgreement, ref)
		}
		all, err := tx.AgreementVersions(ctx)
		if err != nil {
			return loggedEntry{}, err
		}
		for i := range all {
			if all[i].ID == id && all[i].Version == v {
				return agreementEntry(&all[i])
			}
		}
		return loggedEntry{}, errNoEntry(LogAgreement, ref)
	},
}

// byID reads the entry whose key is a numeric ID.
func byID(ref string, kind LogKind, read func(id int64) (loggedEntry, error)) (loggedEntry, error) {
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil || idRef(id) != ref {
		return loggedEntry{}, errNoEntry(kind, ref)
	}
	return read(id)
}

// versionRef splits a key "name/version".
func versionRef(ref string) (string, int, bool) {
	i := strings.LastIndexByte(ref, '/')
	if i < 0 {
		return "", 0, false
	}
	v, err := strconv.Atoi(ref[i+1:])
	return ref[:i], v, err == nil && strconv.Itoa(v) == ref[i+1:]
}

// errNoEntry is the error of a key that names no stored entry of its kind.
func errNoEntry(kind LogKind, ref string) error {
	return tally.Errorf(tally.ENotFound, "no %s %s is stored", kind, ref)
}
