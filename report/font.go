// Package report prints what the ledger produces for paper: a subject's
// credit report as a PDF with a QR code, sealed with the deployment's
// Ed25519 key and checked again later (Seal, Check, Issuer), and a closed
// period's honour board as an A3 poster (PDF and SVG). The ledger decides
// what a report says; this package only lays it out and signs it.
package report

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/tallycredit/tally"
)

// FontEnv names the environment variable that gives the CJK font file.
const FontEnv = "TALLY_REPORT_FONT"

// FontPaths are where FindFont looks for a CJK TrueType (.ttf) font when
// none is named: Debian's fonts-arphic-gbsn00lp (AR PL SungtiL GB, under
// the Arphic Public License: the GB 2312 characters and Latin in one
// .ttf, 4.8 MB, of which a report embeds only the glyphs it uses). Font
// collections (.ttc, as fonts-noto-cjk and fonts-wqy-* ship) and CFF
// (.otf) fonts cannot be embedded by the PDF library, and
// DroidSansFallback has no Latin glyphs, so it serves as the fallback
// (FallbackFontPaths) for characters outside GB 2312.
var FontPaths = []string{
	"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
	"/usr/local/share/fonts/tally/cjk.ttf",
}

// FindFont returns the font file to use: path if given, else $TALLY_REPORT_FONT,
// else the first of FontPaths that exists. Without one, reports cannot be
// printed: the error says how to install one.
func FindFont(path string) (string, error) {
	if path == "" {
		path = os.Getenv(FontEnv)
	}
	if path != "" {
		if strings.HasSuffix(strings.ToLower(path), ".ttc") {
			return "", &tally.Error{Code: tally.EInvalid, Field: "font", Message: path + " is a font collection (.ttc): name a TrueType .ttf file"}
		}
		if _, err := os.Stat(path); err != nil {
			return "", &tally.Error{Code: tally.EInvalid, Field: "font", Message: fmt.Sprintf("cannot read the report font %s: %v", path, err)}
		}
		return path, nil
	}
	for _, p := range FontPaths {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("report font %s: %w", p, err)
		}
	}
	return "", &tally.Error{Code: tally.ENotFound, Field: "font",
		Message: "no CJK font for reports: apt-get install fonts-arphic-gbsn00lp, or name a .ttf with --font or " + FontEnv}
}

// FallbackFontPaths are where the fallback font is looked for: a
// TrueType font that prints the characters the report font lacks, such as
// the rarer characters of names (堃, 喆, 昇, 赟, 䶮, all outside GB 2312).
// Debian's fonts-droid-fallback (Droid Sans Fallback, Apache License 2.0,
// 4 MB) has all but a handful of the GBK and Extension A characters but
// no Latin, which the report font supplies. It is read only when a text
// needs it. A character that no font has, or that lies beyond the Basic
// Multilingual Plane (𠮷, Extension B: the PDF library cannot print it),
// is printed as □ and named by its code point in a footnote.
var FallbackFontPaths = []string{
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/local/share/fonts/tally/fallback.ttf",
}

// fallbackFont returns the first of FallbackFontPaths that exists and is
// not the report font itself, or "" when there is none.
func fallbackFont(report string) string {
	for _, p := range FallbackFontPaths {
		if _, err := os.Stat(p); err == nil && p != report {
			return p
		}
	}
	return ""
}
