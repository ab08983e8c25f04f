package main

// descriptions says what each command line does, for the reference in
// docs/CLI.md; the reference refuses a command line without one.
var descriptions = map[string]string{
	"init": "Create the database (mode 0600, as are its `-wal` and `-shm` files), a new identity key (`tally.db.key`, mode 0600) " +
		"and a report signing key (`tally.db.sign`, mode 0600). Reports and sheets written with `--out` are made 0600 too.",
	"rules lint":    "Check a rulebook without a database: every problem with its file, line and rule.",
	"rules publish": "Check and publish the next version of a scheme's rulebook.",
	"rules show":    "The rules in force, the versions and their dates.",
	"subjects add":  "Add a subject; the identifier is validated by its checksum.",
	"subjects import": "Add, and enrol, many subjects from a CSV file: `kind,id,name[,scheme,unit,consent,how]` (consent yes or no). " +
		"Bad rows are reported with their line; good rows are kept.",
	"enrol":   "Enrol a subject in a scheme, recording their consent decision.",
	"record":  "Record conduct under a rule; `--dry-run` shows the points, caps applied, without writing.",
	"reverse": "Reverse a record, with a reason: a new record pointing at the original, after which neither counts.",
	"import":  "Import records from a CSV or JSON Lines file (see Import files above).",
	"score":   "A subject's score, grade, key factors and next expiry at an instant.",
	"explain": "The score with every record in effect, its rule and basis.",
	"history": "Every record of a subject, reversals included, a page at a time.",
	"access":  "The subject's access log: who read or changed their data, when, why and on what authority (the policy's operation, the grant's scope, the API token), archived entries included.",
	"access archive": "Move the access-log entries older than `--before` to the archive, in one transaction (progress shows on a terminal): " +
		"refused for a day less than the retention period ago (`--keep`, or `TALLY_ACCESS_KEEP`; at least and by default 5 years). " +
		"Nothing is deleted: each subject still sees every entry, marked archived. Running it again moves nothing more.",
	"demo": "Build the demo database (three schemes, people and shops, a year of records) and, unless `--serve=false`, serve it.",
	"serve": "Serve the web pages and the JSON API until SIGINT or SIGTERM. Set `--secure-cookies` when users reach it over HTTPS; " +
		"`--notices-every` delivers notices to the server's log that often; `--nats` puts the instance on the exchange (its outbox published, and with `--trust` what others share with it received).",
	"accounts create":   "Add a web sign-in with a role and a scope like a token's; without `--password-stdin` a password is made and shown once.",
	"accounts list":     "List the accounts (never their password hashes).",
	"accounts disable":  "Stop an account signing in; its sessions end.",
	"accounts password": "Set a new password for an account; every session opened with the old one ends at its next request.",
	"tokens create":     "Make an API token with a role and an optional scope; the secret is shown once and only its hash is kept.",
	"tokens list":       "List the tokens (never their secrets).",
	"tokens revoke":     "Revoke a token.",
	"migrate":           "Apply the schema migrations the database lacks, and list them.",
	"copy":              "Move a SQLite ledger into an empty PostgreSQL database and check every score.",
	"lists publish":     "Check and publish the sanctions catalogue (lists, measures, joint-sanctions matrix).",
	"lists show":        "The sanctions catalogue in force.",
	"lists add":         "Put a subject on a list; refused without the notice date, case number or basis, and for minors.",
	"lists remove":      "End a list entry before its term, with the reason and date.",
	"lists import": "List the rows of a court's CSV or JSON Lines file: `list,subject,name,case_number,court,decided,notice,grounds,basis[,aggravation]`. " +
		"Bad rows are reported with their line, good rows kept; importing again changes nothing. " +
		"With `--snapshot LIST` the file is that list's full snapshot: its entries the file no longer names are revoked (as `lists revoke`).",
	"lists revoke": "Record that a source decision (judgment, penalty decision) was revoked or changed: every list entry with its case number is removed " +
		"as revoked and every record with it as ref reversed, at once, with notices and access-log entries; late against the cascade clock is flagged overdue.",
	"lists cascades": "The recorded revocations and what each removed and reversed; `--overdue` only those recorded after their cascade clock ran out.",
	"check": "May the subject have the measure at an instant? Every reason, and how to lift it. " +
		"Exits 0 only when allowed, 1 when denied and 2 on any error.",
	"gen": "Write a synthetic population (valid identity numbers and credit codes, plausible names), a year of records across the example " +
		"rulebooks' rules at realistic rates, and court-list entries, as the CSV files `subjects import`, `import` and `lists import` take. " +
		"The same seed and `--end` give the same bytes; progress shows on a terminal.",
	"commitments sign": "Record a credit commitment the subject signed: what, by which day, the deduction a breach is recorded under " +
		"and the permit granted at once.",
	"commitments fulfil": "Record that a commitment was kept.",
	"commitments breach": "Record that a commitment was broken: a record under its rule (notice, objection window), " +
		"never by the official who recorded the signing.",
	"commitments list": "Commitments with their state; `--overdue` lists those past their day, which nothing breaches by itself: an official decides.",
	"proposals list": "Proposed listings (notice before listing, 陈述申辩) with their state: stating while the subject's period runs, " +
		"due once it has stated its case or the period ended, then listed or dropped.",
	"proposals state": "File the subject's statement on a proposal, once, by the end of its period's last day (an admin enters one given on paper).",
	"proposals decide": "List (`--list`: the entry is made, in force from now) or drop (`--drop`) a proposal, with reasons; " +
		"not by its proposer, and only after the period or the subject's statement.",
	"objections file":   "File an objection to a record, a list entry or a score; prints its deadlines.",
	"objections list":   "The objection queue, overdue objections flagged.",
	"objections ack":    "Acknowledge an objection.",
	"objections decide": "Decide an objection with written reasons; never in a case one took part in or is the subject of, and an appeal by someone new to the case.",
	"objections appeal": "Appeal a decision within the appeal window.",
	"review pending":    "The records waiting for a second person.",
	"review approve":    "Approve a held record (not one's own, nor one about oneself).",
	"review reject":     "Reject a held record with reasons, which reverses it (not one's own, nor one about oneself).",
	"repair apply":      "Apply for credit repair of a deduction after its minimum duration, saying how the obligations were met.",
	"repair list":       "The repair applications.",
	"agreements add": "Check a data-sharing agreement (issuer, receiver, lists or rules, purpose and basis in Chinese and English) and publish it " +
		"as the next version of its ID; this instance must be its issuer or its receiver (docs/EXCHANGE.md).",
	"agreements list":     "The agreements in force: who sends what to whom, for what purpose and on what basis.",
	"exchange key":        "This instance's public key as a note verifier key (`name+hash+base64`), for the receivers' `--trust`: the report signing key, under the name set by `tally init --name`.",
	"exchange rejections": "The received messages this instance refused (bad signature, unknown issuer, outside every agreement, refused by its rules), newest first, with why.",
	"log key": "The transparency log's note verifier key (`name+hash+base64`), for auditors and witnesses: the report signing key, " +
		"under the name `<instance name>/log`, so that checkpoints and exchange messages never share a key name.",
	"log checkpoint": "Sign and archive a checkpoint (C2SP tlog-checkpoint) of the log as it is now, when it grew since the latest " +
		"(an empty log gets one too), and print the signed note; otherwise print the latest.",
	"log proof": "An entry's position in the log, its leaf (a salted commitment, nothing personal) and the inclusion proof against " +
		"the checkpoint of `--size` (0: the latest), with that checkpoint.",
	"log consistency": "The proof that the log of `--to` entries extends the log of `--from` entries (`--to` at most the latest checkpoint's size).",
	"log verify": "The operator's self-check: every logged entry as stored now against its leaf, every entry logged, and the stored tree " +
		"against the latest checkpoint's root (progress shows on a terminal). Each finding names the entry and what is wrong " +
		"(changed, missing, unlogged); any finding exits non-zero.",
	"log backfill": "Log the entries written before the log existed (a database from before migration 0017), kind by kind, " +
		"1000 a transaction; running it again logs nothing more.",
	"nats": "Run an embedded NATS server with JetStream until SIGINT or SIGTERM: the exchange's message system in one process. " +
		"With `--cluster-name`, `--cluster-addr` and `--routes`, three of them make a cluster.",
	"verifier": "Run a verifier: its own store, kept current from the exchange's stream with the changes of the issuers it `--trust`s, " +
		"answering `POST /api/v1/checks` and `/checks/batch` with its own verifier tokens as serve does, and 503 with the reason when it has heard nothing from an issuer for longer than `--max-lag`. " +
		"With `--audit-log` it also audits the issuer's transparency log, and with `--witness URL=KEY` (repeatable) and `--witnesses N` it answers only while " +
		"N third-party witnesses cosigned, within `--max-lag`, a checkpoint consistent with the audited one.",
	"audit": "Follow another instance's transparency log as an auditor: check each new checkpoint against the last one trusted " +
		"(signature, consistency proof) and keep it in `--state`; on a fork, a rollback or a key change, stop with an alert in Chinese and English " +
		"(exit 4) and keep both checkpoints as evidence. With `--witness-key`, cosign each accepted checkpoint (a timestamped C2SP cosignature/v1) and print it; " +
		"with `--listen` too, serve the latest at `GET /checkpoint` for verifiers that require this witness (`tally verifier --witness`). " +
		"`--witness-key FILE --print-key` prints the witness's verifier key to give them (with `--witness-name`, a missing file gets a new key first).",
	"calendar import": "Add a year's holiday notice (days off and make-up working days, the JSON format of workday/holidays-cn.json) " +
		"once the State Council publishes it; every date is checked, and a year imported again replaces the earlier import.",
	"calendar show": "A year's days off and make-up working days, with the notice they come from, built in or imported.",
	"calendar check": "Name each year the calendar lacks but needs (the current year, the next from 1 November, any year an open deadline " +
		"depends on) and exit 3 when there is one: deadlines are counted Monday to Friday on it and marked provisional until it is imported.",
	"repair decide": "Approve or refuse a repair with reasons; an approved repair ends the record's effect from then on.",
	"notices send": "Deliver the outbox by SMTP, or to the log; the SMTP user and password come from `TALLY_SMTP_USER` and `TALLY_SMTP_PASSWORD`. " +
		"Failures are retried up to 5 times.",
	"notices list":    "The notices in the outbox.",
	"notices contact": "Set or remove the e-mail address a subject's notices go to (stored sealed).",
	"close":           "Close a month: freeze every subject's standing (progress shows on a terminal). Closing it again returns the same close.",
	"sheet": "A closed month's tally sheet: CSV (a line per subject and a TOTAL line), an Excel workbook (sheet, totals, late records) " +
		"or the totals per unit and category.",
	"rewards":     "The distribution list of the rulebook's rewards for a closed month, with a signature column.",
	"board":       "A closed month's honour board, or its A3 poster.",
	"publication": "Record whether a subject agrees to appear on the honour board.",
	"report":      "Issue a signed credit report as a PDF, logged with its purpose.",
	"verify":      "Is a report genuine and unaltered, and when and for what was it issued? With `--public-key`, the signature alone, offline.",
}
