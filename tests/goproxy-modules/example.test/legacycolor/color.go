// Package legacycolor is a module released before Go 1.14, served by the tests' module proxy to a
// project whose vendor/ tree has no modules.txt.
package legacycolor

// Paint wraps s in the name of a color.
func Paint(s string) string { return "[green] " + s }
