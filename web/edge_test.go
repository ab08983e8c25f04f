package web_test

import (
	"encoding/json"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// bigForm streams a multipart form: the fields in order, then (or first,
// when fileFirst) a file named photo of size bytes. read counts what the
// server took of it.
type bigForm struct {
	body        io.Reader
	contentType string
	read        *atomic.Int64
}

func newBigForm(fields [][2]string, size int64, fileFirst bool) *bigForm {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		file := func() error {
			fw, err := mw.CreateFormFile("photo", "big.jpg")
			if err != nil {
				return err
			}
			chunk := make([]byte, 64<<10)
			for left := size; left > 0; left -= int64(len(chunk)) {
				if _, err := fw.Write(chunk[:min(int64(len(chunk)), left)]); err != nil {
					return err
				}
			}
			return nil
		}
		if fileFirst {
			if err := file(); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		for _, f := range fields {
			if err := mw.WriteField(f[0], f[1]); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		if !fileFirst {
			if err := file(); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	f := &bigForm{contentType: mw.FormDataContentType(), read: &atomic.Int64{}}
	f.body = countingReader{pr, f.read}
	return f
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// postBig sends a big form as u, without following redirects.
func (u *user) postBig(path string, f *bigForm) {
	u.t.Helper()
	req, _ := http.NewRequest("POST", u.s.url+path, f.body)
	req.Header.Set("Content-Type", f.contentType)
	u.do(req)
}

// tempFiles lists the entries of dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

const bigPhoto = 50 << 20

// A 50 MB form with a file, sent without a session, is not read whole and
// leaves no temporary file; the fields before the file are carried to
// sign-in as before.
func TestSignedOutUploadRefusedUnread(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	s := newSite(t)
	before := tempFiles(t, tmp)
	anon := s.user("en")
	f := newBigForm([][2]string{{"csrf", "whatever"}, {"ref", "web-kept"}, {"f.hours", "6"}, {"note", "kept note"}}, bigPhoto, false)
	anon.postBig("/record/jiakuang-majia/1/labour.volunteer", f)
	anon.has("signed-out form", "You were signed out", "note=kept+note", "f.hours=6")
	if n := f.read.Load(); n > bigPhoto/4 {
		t.Errorf("the server took %d of %d bytes from someone signed out, want it refused unread", n, bigPhoto)
	}
	if after := tempFiles(t, tmp); !slices.Equal(before, after) {
		t.Errorf("temporary files after the request: %v, before: %v", after, before)
	}
}

// A signed-in recorder's form with a file over the limit gets a 413 page
// in the page's language, unread past its limit, leaving no temporary
// file; a file sent before the form's CSRF value is refused unread; a
// file in a form that takes none is refused.
func TestOversizedUploadIs413(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	s := newSite(t)
	before := tempFiles(t, tmp)
	for _, lang := range []string{"zh-CN", "en"} {
		rec := s.signIn("recorder", lang)
		id := rec.subjectID("张")
		form := "/record/jiakuang-majia/" + id + "/labour.volunteer"
		rec.get(form)
		csrf := csrfField.FindStringSubmatch(rec.page)[1]
		f := newBigForm([][2]string{{"csrf", csrf}, {"ref", "web-big"}, {"f.hours", "6"}, {"date", "2026-11-26"}}, bigPhoto, false)
		rec.postBig(form, f)
		if rec.status != 413 {
			t.Errorf("%s: a 50 MB photo: %d, want 413", lang, rec.status)
		}
		if lang == "en" {
			rec.has("too large", "This form is too large: at most 5 MB")
		} else {
			rec.has("too large", "表单太大：最多 5 MB")
		}
		if n := f.read.Load(); n > bigPhoto/4 {
			t.Errorf("%s: the server took %d of %d bytes, want it stopped at the limit", lang, n, bigPhoto)
		}

		rec.get(form)
		csrf = csrfField.FindStringSubmatch(rec.page)[1]
		f = newBigForm([][2]string{{"csrf", csrf}, {"ref", "web-first"}}, bigPhoto, true)
		rec.postBig(form, f)
		if rec.status != 403 || f.read.Load() > bigPhoto/4 {
			t.Errorf("%s: a file before the CSRF value: %d after %d bytes, want 403 unread", lang, rec.status, f.read.Load())
		}

		rec.get("/record/today")
		csrf = csrfField.FindStringSubmatch(rec.page)[1]
		f = newBigForm([][2]string{{"csrf", csrf}, {"reason", "x"}}, 1<<10, false)
		rec.postBig("/undo/jiakuang-majia/1", f)
		if rec.status != 400 {
			t.Errorf("%s: a file in a form without one: %d, want 400", lang, rec.status)
		}
	}
	if h := s.history(zhang); len(h) != 0 {
		t.Errorf("refused forms wrote %d records", len(h))
	}
	if after := tempFiles(t, tmp); !slices.Equal(before, after) {
		t.Errorf("temporary files after the requests: %v, before: %v", after, before)
	}
}

// Every answer to someone signed in, redirects included, says
// Cache-Control: no-store.
func TestSignedInPagesAreNotCached(t *testing.T) {
	s := newSite(t)
	rec := s.signIn("recorder", "en")
	rec.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, path := range []string{"/record", "/lang/zh?back=/record", "/schemes/jiakuang-majia", "/nothing"} {
		req, _ := http.NewRequest("GET", s.url+path, nil)
		resp, err := rec.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("GET %s signed in: %d with Cache-Control %q, want no-store", path, resp.StatusCode, got)
		}
	}
}

// With the database gone, pages answer 503 with Retry-After in the
// page's language, and the failure is logged with the request's ID.
func TestDatabaseOutagePageIs503(t *testing.T) {
	s := newSite(t)
	rec := s.signIn("recorder", "zh-CN")
	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		u    *user
		path string
	}{{rec, "/record"}, {rec, "/schemes/jiakuang-majia"}, {s.user("en"), "/schemes/jiakuang-majia"}} {
		u, path := tc.u, tc.path
		req, _ := http.NewRequest("GET", s.url+path, nil)
		req.Header.Set("Accept-Language", u.lang)
		resp, err := u.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := html.UnescapeString(string(body))
		want := map[string]string{"zh-CN": "数据库暂时无法访问", "en": "The database is not answering"}[u.lang]
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(page, want) {
			t.Errorf("GET %s (%s): %d Retry-After %q, page has %q: %v; want 503 with Retry-After", path, u.lang,
				resp.StatusCode, resp.Header.Get("Retry-After"), want, strings.Contains(page, want))
		}
		id := resp.Header.Get("X-Request-Id")
		if !loggedError(s.log.String(), id) {
			t.Errorf("GET %s (%s): no error logged with request_id %q:\n%s", path, u.lang, id, s.log.String())
		}
	}
}

// loggedError reports whether logs (JSON lines) hold an error with the
// request ID id.
func loggedError(logs, id string) bool {
	if id == "" {
		return false
	}
	for _, line := range strings.Split(logs, "\n") {
		var entry map[string]any
		if json.Unmarshal([]byte(line), &entry) == nil && entry["request_id"] == id && entry["level"] == "ERROR" {
			return true
		}
	}
	return false
}
