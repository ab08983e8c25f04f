package main

import (
	"crypto/ed25519"
	"fmt"
	"io"

	"github.com/tallycredit/tally/exchange"
)

// cmdExchange shows what other instances need to trust this one, and the
// messages this one refused.
func cmdExchange(e *env, args []string) error {
	return dispatch(e, "exchange", args,
		subcommand{"key", exchangeKey},
		subcommand{"rejections", exchangeRejections})
}

// exchangeKey prints the instance's public key as a note verifier key
// (name+hash+base64), which receivers pass to --trust. The key is the
// report signing key: one key vouches for what this instance says.
func exchangeKey(e *env, args []string) error {
	return printVerifierKey(e, args, "exchange key", "instance", func(name string) string { return name })
}

// printVerifierKey prints the instance's signing key as a note verifier
// key under the key name keyName(instance name); in JSON, with that name
// as label.
func printVerifierKey(e *env, args []string, command, label string, keyName func(instance string) string) error {
	fs := e.flags(command, "")
	signKey := fs.String("sign-key-file", "", e.text("cli.flag.sign_key_file"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	name, key, err := e.instanceKey(svc, *signKey, false)
	if err != nil {
		return err
	}
	vkey, err := exchange.VerifierKey(keyName(name), key.Public().(ed25519.PublicKey))
	if err != nil {
		return err
	}
	return e.print(map[string]string{label: keyName(name), "key": vkey}, func(w io.Writer) { fmt.Fprintln(w, vkey) })
}

// exchangeRejections prints the received messages this instance refused,
// newest first, with why.
func exchangeRejections(e *env, args []string) error {
	fs := e.flags("exchange rejections", "[--limit N]")
	limit := fs.Int("limit", 50, e.text("cli.flag.limit"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	rs, err := svc.Rejections(e.ctx, *limit)
	if err != nil {
		return err
	}
	loc := zoneOf(e, svc, "")
	return e.print(rs, func(w io.Writer) {
		if len(rs) == 0 {
			fmt.Fprintln(w, e.text("cli.exchange.no_rejections"))
		}
		for _, r := range rs {
			fmt.Fprintln(w, e.text("cli.exchange.rejection", moment(r.At, loc), r.Issuer, r.Seq, r.Reason))
		}
	})
}
