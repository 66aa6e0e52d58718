//go:build ignore

// A generator run with `go run tools/gen.go`; never part of the image.
package main

func main() {}
