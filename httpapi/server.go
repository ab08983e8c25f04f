// Package httpapi serves tally's versioned JSON API under /api/v1, with
// health checks and Prometheus metrics. Every route is in Server.routes;
// every error leaves as an RFC 9457 problem document (problem.go).
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/report"
)

// The defaults of Config.
const (
	DefaultMaxBody       = 1 << 20  // bytes of a JSON body
	DefaultMaxUpload     = 64 << 20 // bytes of an import file
	DefaultRate          = 20.0     // requests a second, per token (or per address without one)
	DefaultBurst         = 40
	DefaultRequestTimout = 30 * time.Second
)

// Config tunes the server. Zero fields take the defaults.
type Config struct {
	MaxBody        int64
	MaxUpload      int64
	Rate           float64
	Burst          int
	RequestTimeout time.Duration
	// Checker answers verifier checks; without one, checks answer 503.
	Checker *checkindex.Checker
	// Reports prints and seals special credit reports (its Service is
	// the server's); without one, asking for a report answers 503.
	Reports *report.Issuer
	// Log, when set, is served under /log/ and /api/v1/log/ instead of
	// the ledger's transparency log (tests, tools).
	Log Log
}

func (c *Config) defaults() {
	if c.MaxBody == 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.MaxUpload == 0 {
		c.MaxUpload = DefaultMaxUpload
	}
	if c.Rate == 0 {
		c.Rate = DefaultRate
	}
	if c.Burst == 0 {
		c.Burst = DefaultBurst
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = DefaultRequestTimout
	}
}

// Server is the HTTP API over one ledger. It is safe for concurrent use.
type Server struct {
	svc     *ledger.Service
	log     *slog.Logger
	cfg     Config
	metrics *metrics
	limits  *limiter
	// tileLimits bounds the log's checkpoint and tiles (tileRateFactor).
	tileLimits *limiter
	handler    http.Handler
	table      []Route
}

// Route is one endpoint of the API and the operation it performs.
type Route struct {
	Pattern string
	Op      ledger.Op
}

// Routes returns the route table, for tests and documentation.
func (s *Server) Routes() []Route { return slices.Clone(s.table) }

// New returns a server; reg receives its metrics (nil: a new registry).
func New(svc *ledger.Service, log *slog.Logger, reg *prometheus.Registry, cfg Config) *Server {
	cfg.defaults()
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	if cfg.Reports != nil {
		is := *cfg.Reports
		is.Service, cfg.Reports = svc, &is
	}
	s := &Server{svc: svc, log: log, cfg: cfg, metrics: newMetrics(reg), limits: newLimiter(cfg.Rate, cfg.Burst),
		tileLimits: newLimiter(cfg.Rate*tileRateFactor, cfg.Burst*tileRateFactor)}
	mux := http.NewServeMux()
	s.routes(mux, promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	s.handler = Identify(s.recover(s.observe(mux)))
	return s
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// routes is the route table: every endpoint, its method, and the operation
// of ledger.Policy it performs (the ledger decides who may; "" is the
// caller asking about its own token).
func (s *Server) routes(mux *http.ServeMux, metrics http.Handler) {
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.adminOnly(metrics))
	mux.HandleFunc("GET /api/v1/openapi.json", s.openAPI)

	api := func(pattern string, op ledger.Op, h handlerFunc) {
		s.table = append(s.table, Route{pattern, op})
		mux.Handle(pattern, s.endpoint(h))
	}
	// Public: rulebooks and aggregates, nothing personal.
	api("GET /api/v1/schemes", ledger.OpReadRulebooks, s.listSchemes)
	api("GET /api/v1/schemes/{scheme}", ledger.OpReadRulebooks, s.getScheme)
	api("GET /api/v1/schemes/{scheme}/versions/{version}", ledger.OpReadRulebooks, s.getVersion)
	api("GET /api/v1/schemes/{scheme}/statistics", ledger.OpReadStatistics, s.statistics)
	api("POST /api/v1/rulebooks/lint", ledger.OpReadRulebooks, s.lintRulebook)
	// Writes.
	api("POST /api/v1/rulebooks", ledger.OpPublishRulebook, s.publishRulebook)
	api("POST /api/v1/subjects", ledger.OpAddSubject, s.addSubject)
	api("POST /api/v1/subjects/imports", ledger.OpAddSubject, s.importSubjects)
	api("POST /api/v1/schemes/{scheme}/enrolments", ledger.OpEnrol, s.enrol)
	api("POST /api/v1/schemes/{scheme}/records", ledger.OpRecord, s.record)
	api("POST /api/v1/schemes/{scheme}/records/{id}/reversal", ledger.OpReverse, s.reverse)
	api("POST /api/v1/imports", ledger.OpImportRecords, s.importRecords)
	// Reads of one subject's data: logged, with a purpose.
	api("GET /api/v1/schemes/{scheme}/subjects/{subject}/score", ledger.OpReadSubject, s.score)
	api("GET /api/v1/schemes/{scheme}/subjects/{subject}/explanation", ledger.OpReadSubject, s.explanation)
	api("GET /api/v1/schemes/{scheme}/subjects/{subject}/records", ledger.OpReadSubject, s.history)
	api("GET /api/v1/subjects/{subject}/access-log", ledger.OpReadAccessLog, s.accessLog)
	api("POST /api/v1/verify", ledger.OpVerify, s.verify)
	api("GET /api/v1/me", "", s.me)
	// Tokens: admins only.
	api("POST /api/v1/tokens", ledger.OpManageTokens, s.createToken)
	api("GET /api/v1/tokens", ledger.OpManageTokens, s.listTokens)
	api("POST /api/v1/tokens/{id}/revocation", ledger.OpManageTokens, s.revokeToken)
	// Lists, eligibility and verifier checks (lists.go).
	api("GET /api/v1/catalogue", ledger.OpReadCatalogue, s.getCatalogue)
	api("GET /api/v1/agreements", ledger.OpReadAgreements, s.listAgreements) // the exchange's (agreements.go)
	api("POST /api/v1/lists/{list}/entries", ledger.OpListEntries, s.addListEntry)
	api("POST /api/v1/lists/{list}/removals", ledger.OpListEntries, s.removeListEntry)
	api("POST /api/v1/lists/imports", ledger.OpImportListEntries, s.importListEntries)
	api("GET /api/v1/proposals", ledger.OpReadProposals, s.listProposals)
	api("POST /api/v1/proposals/{id}/statement", ledger.OpStateCase, s.stateCase)
	api("POST /api/v1/proposals/{id}/decision", ledger.OpDecideProposal, s.decideProposal)
	api("POST /api/v1/revocations", ledger.OpRevokeSource, s.revoke)
	api("GET /api/v1/revocations", ledger.OpReadCascades, s.cascades)
	api("GET /api/v1/subjects/{subject}/eligibility", ledger.OpEligibility, s.eligibility)
	api("POST /api/v1/checks", ledger.OpCheck, s.check)
	api("POST /api/v1/checks/batch", ledger.OpCheck, s.checkBatch)
	api("GET /api/v1/checks/statistics", ledger.OpCheckStatistics, s.checkStatistics)
	// Due process: objections, appeals, second review, repairs, notices (due.go).
	api("POST /api/v1/objections", ledger.OpObject, s.fileObjection)
	api("GET /api/v1/objections", ledger.OpReadObjections, s.listObjections)
	api("POST /api/v1/objections/{id}/acknowledgement", ledger.OpReview, s.acknowledgeObjection)
	api("POST /api/v1/objections/{id}/decision", ledger.OpReview, s.decideObjection)
	api("POST /api/v1/objections/{id}/appeal", ledger.OpObject, s.appealObjection)
	api("GET /api/v1/reviews", ledger.OpReview, s.pendingReviews)
	api("POST /api/v1/reviews/{record}/approval", ledger.OpReview, s.decideReview(true))
	api("POST /api/v1/reviews/{record}/rejection", ledger.OpReview, s.decideReview(false))
	api("POST /api/v1/repairs", ledger.OpApplyRepair, s.applyRepair)
	api("GET /api/v1/repairs", ledger.OpReadRepairs, s.listRepairs)
	api("POST /api/v1/repairs/{id}/decision", ledger.OpReview, s.decideRepair)
	api("GET /api/v1/notices", ledger.OpReadNotices, s.listNotices)
	// Credit commitments (commitments.go).
	api("POST /api/v1/commitments", ledger.OpWriteCommitments, s.signCommitment)
	api("GET /api/v1/commitments", ledger.OpReadCommitments, s.listCommitments)
	api("POST /api/v1/commitments/{id}/fulfilment", ledger.OpWriteCommitments, s.settleCommitment(tally.Fulfilled))
	api("POST /api/v1/commitments/{id}/breach", ledger.OpWriteCommitments, s.settleCommitment(tally.Breached))
	// Closes, tally sheets and honour boards (close.go); report verification.
	api("POST /api/v1/schemes/{scheme}/closes", ledger.OpClose, s.closePeriod)
	api("GET /api/v1/schemes/{scheme}/closes/{period}", ledger.OpReadSheet, s.getClose)
	api("GET /api/v1/schemes/{scheme}/closes/{period}/rows", ledger.OpReadSheet, s.closeRows)
	api("GET /api/v1/schemes/{scheme}/closes/{period}/board", ledger.OpReadBoard, s.board)
	api("GET /api/v1/reports/{code}", ledger.OpVerifyReportSeal, s.getReport)
	api("POST /api/v1/reports/special", ledger.OpIssueReport, s.specialReport)
	// The transparency log (log.go): C2SP tlog-tiles under /log/, proofs in JSON.
	api("GET /log/checkpoint", ledger.OpReadLog, s.logCheckpoint)
	api("GET /log/tile/{path...}", ledger.OpReadLog, s.logTile)
	api("GET /api/v1/log/proof", ledger.OpReadLog, s.logProof)
	api("GET /api/v1/log/consistency", ledger.OpReadLog, s.logConsistency)
	// Anything else under the API is a problem document too, not Go's
	// plain-text 404 (a known path with another method lands here as well).
	mux.Handle("/api/v1/", s.endpoint(s.noRoute))
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers whether the database answers.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.svc.Ready(ctx); err != nil {
		s.log.Error("not ready", "err", err)
		writeProblem(w, r, newProblem(string(tally.EUnavailable), "", "problem.database_silent"))
		return
	}
	writeJSON(w, r, http.StatusOK, map[string]string{"status": "ready"})
}

// noRoute answers a path or method the API does not have.
func (s *Server) noRoute(r *http.Request) (int, any, error) {
	return 0, nil, tally.Errorf(tally.ENotFound, "no endpoint %s %s: see /api/v1/openapi.json", r.Method, r.URL.Path)
}
