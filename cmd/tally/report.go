package main

import (
	"crypto/ed25519"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/report"
)

// DefaultVerifyURL is where reports send verifiers when --verify-url is
// not given: the address `tally serve` listens on by default.
const DefaultVerifyURL = "http://127.0.0.1:8080/verify/"

// cmdReport issues a subject's credit report as a signed PDF.
func cmdReport(e *env, args []string) error {
	fs := e.flags("report", "ID --purpose TEXT --out FILE.pdf [--from DAY [--to DAY] [--areas A,B] --authorisation REF] [--lang zh|en] [--font FILE.ttf] [--verify-url URL] [--sign-key-file PATH]")
	out := fs.String("out", "", "the PDF file to write")
	lang := &e.docLang // set by the common --lang
	font := fs.String("font", "", "a CJK TrueType font (env "+report.FontEnv+"; default: Debian's fonts-arphic-gbsn00lp)")
	verifyURL := fs.String("verify-url", envOr("TALLY_VERIFY_URL", DefaultVerifyURL), "the verification address the QR code carries, up to the code (env TALLY_VERIFY_URL)")
	signKey := fs.String("sign-key-file", "", "report signing key (env TALLY_SIGN_KEY_FILE; default: the database path + .sign)")
	from := fs.String("from", "", "a special credit report (专项信用报告) from this day, at most 5 years back")
	to := fs.String("to", "", "the special report's last day (default: today)")
	areas := fs.String("areas", "", "the special report's areas, comma-separated: schemes, scheme/category or lists (default: all)")
	authorisation := fs.String("authorisation", "", "the reference of the subject's written authorisation for a special report")
	pos, err := e.parse(fs, args, "ID")
	if err != nil {
		return err
	}
	if *out == "" {
		return tally.FieldErrorf("out", "name the PDF file to write")
	}
	fontPath, err := report.FindFont(*font)
	if err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	key, err := e.loadSignKey(svc, e.signKeyPath(*signKey), true)
	if err != nil {
		return err
	}
	is := &report.Issuer{Service: svc, Key: key, Font: fontPath, VerifyURL: *verifyURL}
	// The purpose is the report's, not the operator's default.
	purpose := e.cfg.Purpose
	if purpose == defaultConfig().Purpose {
		return tally.FieldErrorf("purpose", "say what the report is for, e.g. --purpose \"home loan\"")
	}
	var (
		issued *tally.IssuedReport
		doc    []byte
	)
	if *from == "" && *to == "" && *areas == "" {
		issued, doc, err = is.Issue(e.ctx, pos[0], purpose, *lang)
	} else {
		req := ledger.SpecialRequest{Identifier: pos[0], Purpose: purpose, Authorisation: *authorisation, Lang: *lang}
		if *areas != "" {
			req.Areas = strings.Split(*areas, ",")
		}
		if err := req.SetDays(*from, *to); err != nil {
			return err
		}
		issued, doc, err = is.IssueSpecial(e.ctx, req)
	}
	if err != nil {
		return err
	}
	if err := writePrivate(*out, doc); err != nil {
		return tally.FieldErrorf("out", "%v", err)
	}
	return e.print(issued, func(w io.Writer) {
		fmt.Fprintf(w, "report %s for %s (%s), purpose %q, issued %s: %s\nverify: %s%s or tally verify %s\n",
			issued.Code, issued.Name, issued.Masked, issued.Purpose, issued.IssuedAt.Format(time.RFC3339), *out, *verifyURL, issued.Code, *out)
		if sc := issued.Special; sc != nil {
			fmt.Fprintf(w, "special credit report: %s, %s to %s, authorisation %s\n", strings.Join(sc.Areas, ", "),
				sc.From.Format(time.DateOnly), sc.To.Format(time.DateOnly), sc.Authorisation)
		}
	})
}

// cmdVerify says whether a report file is genuine and unaltered, and when
// and for what it was issued.
func cmdVerify(e *env, args []string) error {
	fs := e.flags("verify", "FILE.pdf [--public-key HEX]")
	publicKey := fs.String("public-key", "", "check the signature only, with this public key (64 hex digits), without a database")
	pos, err := e.parse(fs, args, "FILE.pdf")
	if err != nil {
		return err
	}
	doc, err := os.ReadFile(pos[0])
	if err != nil {
		return tally.FieldErrorf("file", "%v", err)
	}
	if *publicKey != "" {
		pub, err := report.ParsePublicKey(*publicKey)
		if err != nil {
			return err
		}
		code, digest, err := report.Check(doc, pub)
		if err != nil {
			return err
		}
		return e.print(map[string]any{"genuine": true, "code": code, "digest": digest}, func(w io.Writer) {
			fmt.Fprintf(w, "genuine: signed by key %s, code %s, unaltered (the issue itself was not looked up: no database)\n", report.Fingerprint(pub), code)
		})
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	text, err := svc.ReportPublicKey(e.ctx)
	if err != nil {
		return err
	}
	pub, err := report.ParsePublicKey(text)
	if err != nil {
		return err
	}
	is := &report.Issuer{Service: svc}
	issued, err := verifyWith(e, is, pub, doc)
	if err != nil {
		return err
	}
	return e.print(map[string]any{"genuine": true, "report": issued}, func(w io.Writer) {
		fmt.Fprintf(w, "genuine and unaltered: report %s about %s (%s), issued %s by %s for %q\n",
			issued.Code, issued.Name, issued.Masked, issued.IssuedAt.Format(time.RFC3339), issued.IssuedBy, issued.Purpose)
	})
}

// verifyWith checks a document against a public key and the issue record.
func verifyWith(e *env, is *report.Issuer, pub ed25519.PublicKey, doc []byte) (*tally.IssuedReport, error) {
	code, digest, err := report.Check(doc, pub)
	if err != nil {
		return nil, err
	}
	issued, err := is.Service.VerifyReport(e.ctx, code)
	if tally.ErrorCodeOf(err) == tally.ENotFound || (err == nil && issued.Digest != digest) {
		return nil, report.ErrNotGenuine
	}
	return issued, err
}
