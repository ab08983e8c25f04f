// Package examples embeds the sample rulebooks, so that the demo and the
// tests use exactly the files the README documents.
package examples

import "embed"

// Rulebooks holds village.yaml, city.yaml and market.yaml.
//
//go:embed *.yaml
var Rulebooks embed.FS
