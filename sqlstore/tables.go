package sqlstore

// Tables lists the ledger's tables in an order that satisfies their
// foreign keys: copying them in this order into another store never
// refers to a row not yet copied. Both engines have every one of them.
var Tables = []string{"meta", "subjects", "rulebooks", "enrolments", "consents", "records",
	"tokens", "token_revocations", "access_log", "access_log_archive", "saved_responses",
	"accounts", "account_passwords", "account_disablements", "sessions", "session_ends", "evidence", "evidence_items", "evidence_bindings",
	"catalogues", "list_entries", "list_removals", "check_counts",
	"holds", "hold_decisions", "objections", "objection_acks", "objection_decisions",
	"repairs", "repair_decisions", "notices", "notice_attempts", "notice_acks", "contacts",
	"publication_consents", "closes", "close_rows", "close_totals", "close_late", "reports", "kiosk_codes", "kiosk_code_uses", "calendar_years",
	"commitments", "commitment_settlements", "cascades", "list_proposals", "proposal_statements", "proposal_decisions",
	"agreements", "shares", "received_shares", "rejected_shares",
	"log_leaves", "log_hashes", "log_checkpoints"}
