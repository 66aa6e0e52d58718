//go:build viaproxy

package main

const channel = "GOFLAGS -tags=viaproxy reached the build"
