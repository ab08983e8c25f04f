package main

import (
	"github.com/tallycredit/tally/httpapi"
)

// cmdVerifier runs a verifier instance: its own store, kept current from
// the exchange's stream, answering checks (POST /api/v1/checks and
// /checks/batch) with its own verifier tokens exactly as serve does, and
// answering 503 with the reason when it has not heard from an issuer for
// longer than --max-lag (docs/EXCHANGE.md). It serves the API only.
func cmdVerifier(e *env, args []string) error {
	fs := e.flags("verifier", "--nats URL --trust KEY [--max-lag 60s] [--addr 127.0.0.1:8081]")
	var sf serveFlags
	fs.StringVar(&sf.addr, "addr", envOr("TALLY_ADDR", defaultVerifierAddr), e.text("cli.flag.serve_addr"))
	fs.Float64Var(&sf.api.Rate, "rate", httpapi.DefaultRate, e.text("cli.flag.rate"))
	fs.IntVar(&sf.api.Burst, "burst", httpapi.DefaultBurst, e.text("cli.flag.burst"))
	fs.Int64Var(&sf.api.MaxBody, "max-body", httpapi.DefaultMaxBody, e.text("cli.flag.max_body"))
	fs.StringVar(&sf.signKey, "sign-key-file", "", e.text("cli.flag.sign_key_file"))
	sf.exchange.bind(e, fs)
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if sf.api.MaxBody <= 0 {
		return e.fieldErrorf("--max-body", "cli.serve.want_bytes", sf.api.MaxBody)
	}
	return serveVerifier(e, sf, nil)
}

// serveVerifier serves e's database as a verifier, the API only, with
// the address, limits and exchange of sf; ready, if set, is told the
// address once it listens (the demo runs its airline so).
func serveVerifier(e *env, sf serveFlags, ready func(addr string)) error {
	sf.api.MaxUpload = httpapi.DefaultMaxUpload
	sf.exchange.verifier, sf.apiOnly = true, true
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	return serve(e, svc, sf, ready)
}

// defaultVerifierAddr is beside serve's default, so that both run on one
// machine in the demo and the quick start.
const defaultVerifierAddr = "127.0.0.1:8081"
