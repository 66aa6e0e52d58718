//go:build ignore

// Seeds a development database: go run scripts/seed.go
package main

func main() {}
