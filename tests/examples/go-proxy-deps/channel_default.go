//go:build !viaproxy

package main

const channel = "built without the GOFLAGS tags"
