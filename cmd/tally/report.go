package main

import (
	"crypto/ed25519"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
	"github.com/tallycredit/tally/report"
)

// DefaultVerifyURL is where reports send verifiers when --verify-url is
// not given: the address `tally serve` listens on by default.
const DefaultVerifyURL = "http://127.0.0.1:8080/verify/"

// cmdReport issues a subject's credit report as a signed PDF.
func cmdReport(e *env, args []string) error {
	fs := e.flags("report", "ID --purpose TEXT --out FILE.pdf [--from DAY [--to DAY] [--areas A,B] --authorisation REF] [--lang zh|en] [--font FILE.ttf] [--verify-url URL] [--sign-key-file PATH]")
	out := fs.String("out", "", e.text("cli.flag.report_out"))
	lang := &e.docLang // set by the common --lang
	font := fs.String("font", "", e.text("cli.flag.serve_font", report.FontEnv))
	verifyURL := fs.String("verify-url", envOr("TALLY_VERIFY_URL", DefaultVerifyURL), e.text("cli.flag.verify_url"))
	signKey := fs.String("sign-key-file", "", e.text("cli.flag.sign_key_file"))
	from := fs.String("from", "", e.text("cli.flag.special_from"))
	to := fs.String("to", "", e.text("cli.flag.special_to"))
	areas := fs.String("areas", "", e.text("cli.flag.special_areas"))
	authorisation := fs.String("authorisation", "", e.text("cli.flag.special_authorisation"))
	pos, err := e.parse(fs, args, "ID")
	if err != nil {
		return err
	}
	if *out == "" {
		return e.fieldErrorf("out", "cli.report.name_out")
	}
	fontPath, err := report.FindFont(*font)
	if err != nil {
		return err
	}
	svc, done, key, err := e.openReporting(*signKey)
	if err != nil {
		return err
	}
	defer done()
	is := &report.Issuer{Service: svc, Key: key, Font: fontPath, VerifyURL: *verifyURL}
	// The purpose is the report's, not the operator's default.
	purpose := e.cfg.Purpose
	if purpose == defaultConfig().Purpose {
		return e.fieldErrorf("purpose", "cli.report.say_purpose")
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
		return e.fileError(tally.EInvalid, "out", *out, err)
	}
	return e.print(issued, func(w io.Writer) {
		fmt.Fprintln(w, e.text("cli.report.issued", issued.Code, issued.Name, issued.Masked, issued.Purpose,
			moment(issued.IssuedAt, zoneOf(e, svc, "")), *out, *verifyURL, issued.Code, *out))
		if sc := issued.Special; sc != nil {
			fmt.Fprintln(w, e.text("cli.report.special", strings.Join(sc.Areas, ", "), localtime.Date(sc.From, zoneOf(e, svc, "")), localtime.Date(sc.To, zoneOf(e, svc, "")), sc.Authorisation))
		}
	})
}

// cmdVerify says whether a report file is genuine and unaltered, and when
// and for what it was issued.
func cmdVerify(e *env, args []string) error {
	fs := e.flags("verify", "FILE.pdf [--public-key HEX]")
	publicKey := fs.String("public-key", "", e.text("cli.flag.public_key"))
	pos, err := e.parse(fs, args, "FILE.pdf")
	if err != nil {
		return err
	}
	doc, err := os.ReadFile(pos[0])
	if err != nil {
		return e.fileError(tally.EInvalid, "file", pos[0], err)
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
			fmt.Fprintln(w, e.text("cli.verify.genuine_offline", report.Fingerprint(pub), code))
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
	logCheck, err := svc.VerifyReportLog(e.ctx, issued.Code)
	if err != nil {
		return err
	}
	err = e.print(map[string]any{"genuine": true, "report": issued, "log": logCheck}, func(w io.Writer) {
		fmt.Fprintln(w, e.text("cli.verify.genuine", issued.Code, issued.Name, issued.Masked,
			moment(issued.IssuedAt, zoneOf(e, svc, "")), issued.IssuedBy, issued.Purpose))
		e.printReportLog(w, logCheck)
	})
	if err != nil {
		return err
	}
	if n := logCheck.Problems(); n > 0 {
		return e.errorf(tally.EConflict, "verify.log.failed", n)
	}
	return nil
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
