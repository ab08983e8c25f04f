package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
)

// A client reads no answer longer than its bound: an auditor following
// another instance's log must not let that server fill its memory.
func TestAnswersAreBounded(t *testing.T) {
	const size = 4096
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("x", size)))
	}))
	t.Cleanup(srv.Close)
	c := client.New(srv.URL, "", srv.Client())
	if got, err := c.LogCheckpoint(context.Background()); err != nil || len(got) != size {
		t.Fatalf("an answer within the default bound: %d bytes, %v", len(got), err)
	}
	_, err := c.WithMaxAnswer(size - 1).LogCheckpoint(context.Background())
	if tally.ErrorCodeOf(err) != tally.EUnavailable || !strings.Contains(err.Error(), "longer than 4095 bytes") {
		t.Errorf("an answer one byte over the bound: %v, want unavailable naming the bound", err)
	}
	if got, err := c.WithMaxAnswer(size).LogCheckpoint(context.Background()); err != nil || len(got) != size {
		t.Errorf("an answer exactly at the bound: %d bytes, %v", len(got), err)
	}
}
