// notes prints a greeting and, when git or curl happen to be installed, what they add. Neither is
// needed: each is one optional feature, run from one file, so the image carries neither.
package main

import (
	"fmt"

	"example.com/notes/internal/share"
	"example.com/notes/internal/vcs"
)

func main() {
	fmt.Println("notes ok")
	fmt.Println("origin:", vcs.Origin("."))
	fmt.Println("sharing:", share.Available())
}
