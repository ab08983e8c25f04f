package postgres

import (
	"net/url"
	"strings"
)

// mask replaces a password in a redacted address.
const mask = "xxxxx"

// secretKeys are the connection parameters whose values Redacted masks.
var secretKeys = []string{"password", "sslpassword"}

// Redacted returns the address url with its passwords masked, for
// messages and logs. It takes both forms PostgreSQL accepts: a URL
// (postgres://user:password@host/db?password=...) and keyword=value pairs
// (host=h password='...'). An address that cannot be parsed is masked from
// the scheme to its last '@', which may hide more than the password but
// never less.
func Redacted(url string) string {
	if strings.Contains(url, "://") {
		return redactURL(url)
	}
	return redactKeywords(url)
}

// redactURL masks the password of the user information and of the query.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		scheme, rest, _ := strings.Cut(s, "://")
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			rest = mask + rest[at:]
		}
		if before, query, ok := strings.Cut(rest, "?"); ok {
			rest = before + "?" + redactQuery(query)
		}
		return scheme + "://" + rest
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), mask)
		}
	}
	u.RawQuery = redactQuery(u.RawQuery)
	return u.String()
}

// redactQuery masks the values of secret parameters in a URL query,
// leaving the rest as written.
func redactQuery(query string) string {
	if query == "" {
		return query
	}
	parts := strings.Split(query, "&")
	for i, p := range parts {
		k, _, ok := strings.Cut(p, "=")
		if key, err := url.QueryUnescape(k); ok && (err != nil || isSecret(key)) {
			parts[i] = k + "=" + mask
		}
	}
	return strings.Join(parts, "&")
}

// redactKeywords masks secret values in keyword=value pairs, read as libpq
// reads them: spaces around '=', values in single quotes with backslash
// escapes.
func redactKeywords(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := skipSpace(s, i)
		b.WriteString(s[i:j])
		if i = j; i == len(s) {
			break
		}
		for j < len(s) && s[j] != '=' && !isSpace(s[j]) {
			j++
		}
		key := s[i:j]
		k := skipSpace(s, j)
		if k == len(s) || s[k] != '=' {
			b.WriteString(s[i:j]) // not a pair: a malformed string, kept as written
			i = j
			continue
		}
		k = skipSpace(s, k+1)
		b.WriteString(s[i:k])
		end := valueEnd(s, k)
		if isSecret(key) {
			b.WriteString(mask)
		} else {
			b.WriteString(s[k:end])
		}
		i = end
	}
	return b.String()
}

// valueEnd returns the end of the value that starts at s[i]: after the
// closing quote of a quoted value, or at the first unescaped space.
func valueEnd(s string, i int) int {
	quoted := i < len(s) && s[i] == '\''
	if quoted {
		i++
	}
	for ; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++ // the next character is literal
		case quoted && s[i] == '\'':
			return i + 1
		case !quoted && isSpace(s[i]):
			return i
		}
	}
	return len(s)
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isSecret(key string) bool {
	for _, k := range secretKeys {
		if strings.EqualFold(key, k) {
			return true
		}
	}
	return false
}
