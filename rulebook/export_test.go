package rulebook

// ProtectedYAML is the embedded list of protected activities and
// ParseProtected its parser, so that tests generate one case per word.
var (
	ProtectedYAML  = protectedYAML
	ParseProtected = parseProtected
)

// ProtectedWords is what ParseProtected returns.
type ProtectedWords = protectedWords
