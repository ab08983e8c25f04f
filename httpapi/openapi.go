package httpapi

import (
	_ "embed"
	"net/http"
)

// openAPIDoc is the OpenAPI 3.1 description of /api/v1. A test validates
// real responses against it, so it stays true.
//
//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI returns the OpenAPI document, for tests and tools.
func OpenAPI() []byte { return openAPIDoc }

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openAPIDoc)
}
