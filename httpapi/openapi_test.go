package httpapi_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/content"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/router"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/tallycredit/tally/httpapi"
)

// openapi.json is kept true three ways: it must be a valid OpenAPI 3.1
// document naming every route of server.go's route table (TestOpenAPI*);
// every request and response of this package's tests, which all go through
// startServer, must match it (checkContract); and every operation in it must
// be answered with a success by some test (TestMain).

// contract is the OpenAPI document, ready to validate traffic. It is safe
// for concurrent use.
type contract struct {
	doc    libopenapi.Document
	model  *v3.Document
	check  validator.Validator
	router router.Router

	mu        sync.Mutex
	exercised map[string]bool // "GET /api/v1/schemes": answered with a 2xx to a valid request
}

// loadContract returns the contract the tests' servers share.
var loadContract = sync.OnceValues(newContract)

func newContract() (*contract, error) {
	doc, err := libopenapi.NewDocument(httpapi.OpenAPI())
	if err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	// Rulebooks and import files are text: decoded as such, never as JSON
	// (which a JSON Lines file is not, though its media type says json).
	text := content.TextDecoder()
	check, errs := validator.NewValidator(doc,
		config.WithFormatAssertions(),
		// Strict: a query parameter, header or property the document does
		// not declare is a mismatch, even where additionalProperties would
		// allow it; but facts are named by each rulebook, the document
		// describes itself only at the top, and nosniff is on every problem.
		config.WithStrictMode(),
		config.WithStrictIgnorePaths("$.body.facts.*", "$.body.record.facts.*", "$.body.items[*].facts.*", "$.body.in_effect[*].facts.*",
			"$.body.info**", "$.body.servers**", "$.body.security**", "$.body.tags**", "$.body.paths**", "$.body.components**"),
		config.WithStrictIgnoredHeadersExtra("x-content-type-options"),
		config.WithBodyDecoder("application/yaml", text), config.WithBodyDecoder("text/csv", text), config.WithBodyDecoder("text/plain", text),
		config.WithBodyDecoder("application/jsonl", text), config.WithBodyDecoder("application/x-ndjson", text))
	if len(errs) > 0 {
		return nil, fmt.Errorf("openapi.json: %v", errs)
	}
	return &contract{doc: doc, model: &model.Model, check: check, router: router.NewRouter(&model.Model, router.WithPathOnlyMatching()),
		exercised: map[string]bool{}}, nil
}

func mustContract(tb testing.TB) *contract {
	tb.Helper()
	c, err := loadContract()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// operations lists the document's operations as "METHOD /path".
func (c *contract) operations() []string {
	var out []string
	for path, item := range c.model.Paths.PathItems.FromOldest() {
		for method := range item.GetOperations().FromOldest() {
			out = append(out, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(out)
	return out
}

// unchecked are the routes the document leaves out on purpose: the
// metrics, and the transparency log under /log/, which C2SP tlog-tiles
// specifies (its tile paths span segments, as no OpenAPI path can).
var unchecked = map[string]bool{"GET /metrics": true, "GET /log/checkpoint": true, "GET /log/tile/{path...}": true}

// leftOut reports whether a request is to a route the document leaves out.
func leftOut(r *http.Request) bool {
	return unchecked[r.Method+" "+r.URL.Path] || strings.HasPrefix(r.URL.Path, "/log/")
}

// checkContract wraps the API: it validates each request and its response
// against openapi.json and reports every mismatch to t. A response must
// always match the document. A request the document refuses must be
// refused by the server too (4xx), and a request the document accepts must
// not be called malformed by the server. The response is held until it is
// checked, so a mismatch is reported while the test that caused it runs.
// Benchmarks are served unchecked, so that they measure the server alone.
func checkContract(t testing.TB, next http.Handler) http.Handler {
	if _, ok := t.(*testing.B); ok {
		return next
	}
	c := mustContract(t)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("%s %s: reading the request: %v", r.Method, r.URL.Path, err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		resp := rec.Result()
		if !leftOut(r) {
			for _, e := range c.mismatches(r, body, resp) {
				t.Errorf("openapi.json: %s", e)
			}
		}
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// mismatches checks one exchange and notes the operation as exercised when
// a valid request got a success.
func (c *contract) mismatches(r *http.Request, body []byte, resp *http.Response) []string {
	what := fmt.Sprintf("%s %s -> %d", r.Method, r.URL.RequestURI(), resp.StatusCode)
	route, err := c.router.FindRoute(copyRequest(r, body))
	if err != nil || route.Operation == nil {
		return []string{what + ": no such operation in the document"}
	}
	op := route.Method + " " + route.Path
	var out []string
	reqOK, reqErrs := c.check.ValidateHttpRequestSync(copyRequest(r, body))
	respBody, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if ok, errs := c.check.ValidateHttpResponse(copyRequest(r, body), resp); !ok {
		out = append(out, fmt.Sprintf("%s: the response does not match:%s\nbody: %.600s", what, describe(errs), respBody))
	}
	success := resp.StatusCode < 400
	switch {
	case !reqOK && success:
		out = append(out, fmt.Sprintf("%s: the server accepted a request the document refuses:%s\nrequest body: %.600s", what, describe(reqErrs), body))
	case reqOK && resp.StatusCode == http.StatusBadRequest && problemCode(respBody) == "malformed":
		out = append(out, fmt.Sprintf("%s: the document accepts a request the server calls malformed\nrequest body: %.600s\nresponse: %.600s", what, body, respBody))
	case reqOK && success && len(out) == 0:
		c.mu.Lock()
		c.exercised[op] = true
		c.mu.Unlock()
	}
	return out
}

func copyRequest(r *http.Request, body []byte) *http.Request {
	cp := r.Clone(r.Context())
	cp.Body = io.NopCloser(bytes.NewReader(body))
	cp.ContentLength = int64(len(body))
	return cp
}

func problemCode(body []byte) string {
	var p struct{ Code string }
	_ = json.Unmarshal(body, &p)
	return p.Code
}

// describe lists validation errors, one a line, with the fields at fault.
func describe(errs []*verrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "\n  %s: %s", e.Message, e.Reason)
		for _, s := range e.SchemaValidationErrors {
			fmt.Fprintf(&b, "\n    %s at %s (%s)", s.Reason, s.FieldPath, s.KeywordLocation)
		}
	}
	return b.String()
}

// The document is a valid OpenAPI 3.1 document.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	c := mustContract(t)
	if v := c.doc.GetVersion(); !strings.HasPrefix(v, "3.1.") {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
	if ok, errs := c.check.ValidateDocument(); !ok {
		t.Errorf("openapi.json is not a valid OpenAPI document:%s", describe(errs))
	}
}

// The document has exactly the routes of server.go's route table (less
// the ones left out on purpose), so a new route cannot go undocumented.
func TestOpenAPINamesEveryRoute(t *testing.T) {
	src, err := os.ReadFile("server.go")
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	for _, m := range regexp.MustCompile(`(?:HandleFunc|Handle|api)\("([A-Z]+ /[^"]*)"`).FindAllSubmatch(src, -1) {
		if route := string(m[1]); !unchecked[route] {
			routes = append(routes, route)
		}
	}
	sort.Strings(routes)
	if len(routes) < 10 {
		t.Fatalf("found %d routes in server.go, want the route table: %q", len(routes), routes)
	}
	ops := mustContract(t).operations()
	for _, r := range routes {
		if !slices.Contains(ops, r) {
			t.Errorf("route %q is not in openapi.json", r)
		}
	}
	for _, op := range ops {
		if !slices.Contains(routes, op) {
			t.Errorf("openapi.json has %q, which server.go does not route", op)
		}
	}
}

// Every operation on the API's own paths needs a token unless it says
// otherwise, every POST takes an Idempotency-Key, and every response an
// endpoint can give for any request (401, 429, 500) is documented.
func TestOpenAPIOperationsShareTheEndpointContract(t *testing.T) {
	c := mustContract(t)
	for path, item := range c.model.Paths.PathItems.FromOldest() {
		if !strings.HasPrefix(path, "/api/v1/") || path == "/api/v1/openapi.json" {
			continue
		}
		for method, op := range item.GetOperations().FromOldest() {
			name := strings.ToUpper(method) + " " + path
			if op.OperationId == "" {
				t.Errorf("%s has no operationId", name)
			}
			for _, code := range []string{"401", "429", "500", "503"} {
				if op.Responses.Codes.GetOrZero(code) == nil {
					t.Errorf("%s does not document its %s response", name, code)
				}
			}
			if method != "post" {
				continue
			}
			if !slices.ContainsFunc(op.Parameters, func(p *v3.Parameter) bool { return p.Name == "Idempotency-Key" && p.In == "header" }) {
				t.Errorf("%s does not take an Idempotency-Key", name)
			}
			for _, code := range []string{"409", "413"} {
				if op.Responses.Codes.GetOrZero(code) == nil {
					t.Errorf("%s does not document its %s response (idempotency conflict, body limit)", name, code)
				}
			}
		}
	}
}

// TestMain runs the tests and then, when the whole package ran, fails if
// some operation of the document was never answered with a success: an
// operation no test calls is an operation nothing checks.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	removeListedLedger()
	if code != 0 || flag.Lookup("test.run").Value.String() != "" || flag.Lookup("test.skip").Value.String() != "" {
		os.Exit(code)
	}
	c, err := loadContract()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var missing []string
	for _, op := range c.operations() {
		if !c.exercised[op] {
			missing = append(missing, op)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: no test got a success from these operations of openapi.json:\n  %s\n", strings.Join(missing, "\n  "))
		os.Exit(1)
	}
	os.Exit(code)
}
