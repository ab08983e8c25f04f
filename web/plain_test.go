package web

import "testing"

// What a Chinese input method types in identifiers, codes and numbers
// becomes ASCII; free text is not this helper's business.
func TestPlain(t *testing.T) {
	for _, c := range []struct{ in, plain, code string }{
		{"３６０４２６１９９１０１０１００７ｘ", "36042619910101007x", "36042619910101007X"},
		{"８", "8", "8"},
		{"８．５", "8.5", "8.5"},
		{"８。５", "8.5", "8.5"},
		{"　１３００　", "1300", "1300"},
		{"－３", "-3", "-3"},
		{"2026—11", "2026-11", "2026-11"},
		{" abcde - fghij ", "abcde - fghij", "ABCDE-FGHIJ"},
		{"ＡＢＣＤＥ－ＦＧＨＩＪ", "ABCDE-FGHIJ", "ABCDE-FGHIJ"},
		{"3604 2619 9101 0100 7x", "3604 2619 9101 0100 7x", "36042619910101007X"},
		{"", "", ""},
	} {
		if got := plain(c.in); got != c.plain {
			t.Errorf("plain(%q) = %q, want %q", c.in, got, c.plain)
		}
		if got := plainCode(c.in); got != c.code {
			t.Errorf("plainCode(%q) = %q, want %q", c.in, got, c.code)
		}
	}
}
