package sqlstore

import "encoding/json"

// jsonList stores a scope list (the schemes, rules or categories a token
// or an account may act on) as a JSON array in a TEXT column ("[]" for
// none).
func jsonList(s []string) string {
	if len(s) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// parseScopes reads three JSON scope lists, as jsonList wrote them, into
// the slices given; an empty list leaves its slice nil.
func parseScopes(schemes, rules, categories string, dst ...*[]string) error {
	for i, src := range []string{schemes, rules, categories} {
		var list []string
		if err := json.Unmarshal([]byte(src), &list); err != nil {
			return err
		}
		if len(list) > 0 {
			*dst[i] = list
		}
	}
	return nil
}
