// Package color is a dependency of example.test/greet, served by the tests' module proxy.
package color

// Paint wraps s in the name of a color.
func Paint(s string) string { return "[green] " + s }
