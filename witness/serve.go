package witness

import (
	"log/slog"
	"net/http"
	"time"
)

// CheckpointPath is where a witness serves its latest cosigned checkpoint.
const CheckpointPath = "/checkpoint"

// Handler serves, at GET /checkpoint, the latest checkpoint the witness
// keeping its state in dir cosigned, as text (404 before the first), so
// that readers that require this witness can fetch it (the pull model of
// distributing cosignatures). A state it cannot read is a 500, told to
// log. Its few refusals are said in Chinese, then English.
func Handler(dir string, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(CheckpointPath, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "只接受 GET / method not allowed", http.StatusMethodNotAllowed)
			return
		}
		b, err := readState(dir, CosignedFile)
		switch {
		case err != nil:
			log.Error("cannot read the cosigned checkpoint", "dir", dir, "err", err)
			http.Error(w, "无法读取联署的检查点 / cannot read the cosigned checkpoint", http.StatusInternalServerError)
			return
		case b == nil:
			http.Error(w, "尚无联署的检查点 / no checkpoint cosigned yet", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(b)
	})
	return mux
}

// NewServer returns the HTTP server of Handler on addr, with timeouts that
// keep a slow or idle client from holding it.
func NewServer(addr, dir string, log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           Handler(dir, log),
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
}
