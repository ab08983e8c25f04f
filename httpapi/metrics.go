package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/tallycredit/tally"
)

// metrics counts requests and their durations by route.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tally_http_requests_total", Help: "HTTP requests by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "tally_http_request_duration_seconds", Help: "HTTP request durations by route pattern.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

func (m *metrics) observe(method, route string, status int, took time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(took.Seconds())
}

// adminOnly serves next only to a caller with an admin token: the metrics
// tell request rates per route, which are the deployment's business, not
// the public's. Without a token the answer is 401, with another role 403.
func (s *Server) adminOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		actor, err := s.authenticate(r.Context(), r)
		switch {
		case err != nil:
			s.problem(w, r, err)
		case anonymous(actor):
			w.Header().Set("WWW-Authenticate", `Bearer realm="tally"`)
			writeProblem(w, r, newProblem(codeUnauthorized, "", "problem.metrics_need_token"))
		case actor.Role != tally.Admin:
			writeProblem(w, r, newProblem(string(tally.EForbidden), "", "problem.metrics_need_admin", actor.Name, actor.Role))
		default:
			setActorName(r, actor.Name)
			next.ServeHTTP(w, r)
		}
	})
}
