package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// post sends a form without following redirects and returns the status
// and the Retry-After header.
func postForm(t *testing.T, base, path string, form url.Values) (int, string) {
	t.Helper()
	resp, err := http.DefaultTransport.RoundTrip(mustRequest(t, base+path, form))
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

func mustRequest(t *testing.T, target string, form url.Values) *http.Request {
	req, err := http.NewRequest("POST", target, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// parallel sends n copies of a form at once and counts the answers by
// status.
func parallel(t *testing.T, n int, send func() int) map[int]int {
	var mu sync.Mutex
	got := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status := send()
			mu.Lock()
			got[status]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return got
}

// Fifty wrong passwords sent at once: at most ten are checked (401), the
// rest are refused unchecked (429), and then the right password is
// refused too until the lockout ends (the site's clock is moved, not
// waited for).
func TestParallelSignInGuesses(t *testing.T) {
	s := newSite(t)
	got := parallel(t, 50, func() int {
		status, _ := postForm(t, s.url, "/signin", url.Values{"name": {"admin"}, "password": {"wrong password"}})
		return status
	})
	if got[http.StatusUnauthorized] > 10 || got[http.StatusUnauthorized]+got[http.StatusTooManyRequests] != 50 {
		t.Errorf("50 wrong passwords at once: %v, want at most 10 checked (401), the rest 429", got)
	}
	status, retry := postForm(t, s.url, "/signin", url.Values{"name": {"admin"}, "password": {password}})
	if secs, _ := strconv.Atoi(retry); status != http.StatusTooManyRequests || secs < 1 {
		t.Errorf("the right password after them: %d (Retry-After %q), want 429 with Retry-After", status, retry)
	}
	s.clock.Add(15 * time.Minute)
	if status, _ := postForm(t, s.url, "/signin", url.Values{"name": {"admin"}, "password": {password}}); status != http.StatusSeeOther {
		t.Errorf("the right password after the lockout: %d, want 303", status)
	}
}

// Fifty wrong kiosk codes sent at once for one ID number: at most five are
// checked; then the right code is refused until the lockout ends.
func TestParallelKioskGuesses(t *testing.T) {
	s := withReports(t, newSite(t))
	october(t, s)
	desk := s.signIn("admin", "zh")
	desk.get("/kiosk/codes")
	desk.post("/kiosk/codes", url.Values{"id": {zhang}})
	m := kioskCode.FindStringSubmatch(desk.page)
	if m == nil {
		t.Fatalf("no code on the desk's page: %d", desk.status)
	}
	got := parallel(t, 50, func() int {
		status, _ := postForm(t, s.url, "/kiosk", url.Values{"id": {zhang}, "code": {"00000000"}, "purpose": {"job"}})
		return status
	})
	if got[http.StatusUnauthorized] > 5 || got[http.StatusUnauthorized]+got[http.StatusTooManyRequests] != 50 {
		t.Errorf("50 wrong codes at once: %v, want at most 5 checked (401), the rest 429", got)
	}
	if status, _ := postForm(t, s.url, "/kiosk", url.Values{"id": {zhang}, "code": {m[1]}, "purpose": {"job"}}); status != http.StatusTooManyRequests {
		t.Errorf("the right code after them: %d, want 429", status)
	}
	s.clock.Add(15 * time.Minute) // the lockout's end, and the code's
	desk.get("/kiosk/codes")
	desk.post("/kiosk/codes", url.Values{"id": {zhang}})
	if m = kioskCode.FindStringSubmatch(desk.page); m == nil {
		t.Fatalf("no new code on the desk's page: %d", desk.status)
	}
	if status, _ := postForm(t, s.url, "/kiosk", url.Values{"id": {zhang}, "code": {m[1]}, "purpose": {"job"}}); status != http.StatusOK {
		t.Errorf("the right code after the lockout: %d, want 200", status)
	}
}
