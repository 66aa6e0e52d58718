package main

import "testing"

// A test file at the root is not a main package.
func TestNothing(t *testing.T) {}
