//go:build tools

package tally

import (
	_ "cel.dev/cel-go/cel"
	_ "go.yaml.in/yaml/v3"
	_ "modernc.org/sqlite"
)
