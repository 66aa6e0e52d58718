// Package greet is served by the tests' module proxy; it depends on example.test/color.
package greet

import "example.test/color"

// Hello greets name in color.
func Hello(name string) string { return color.Paint("hello, " + name + ", from example.test/greet") }
