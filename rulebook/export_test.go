package rulebook

// ProtectedYAML is the embedded list of protected activities and
// ParseProtected its parser, so that tests generate one case per word.
var (
	ProtectedYAML  = protectedYAML
	ParseProtected = parseProtected
)

// ProtectedWords is what ParseProtected returns.
type ProtectedWords = protectedWords

// ForbiddenYAML is the embedded list of data a scheme may not collect and
// ParseForbidden its parser, so that tests generate one case per word.
var (
	ForbiddenYAML  = forbiddenYAML
	ParseForbidden = parseForbidden
)

// ForbiddenData is what ParseForbidden returns.
type ForbiddenData = forbiddenData
