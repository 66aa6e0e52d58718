// Package legacycolor is a stale vendored copy, written before Go 1.14 (no vendor/modules.txt):
// the build must not use it.
package legacycolor

// Paint is what an old release did.
func Paint(s string) string { return "[stale vendor copy] " + s }
