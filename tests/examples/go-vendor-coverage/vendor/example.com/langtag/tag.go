// Package langtag checks language tags against the languages it covers.
package langtag

import "strings"

// Known reports whether tag's base language is covered (see coverage.go).
func Known(tag string) bool {
	base, _, _ := strings.Cut(strings.ToLower(tag), "-")
	return covered[base]
}
