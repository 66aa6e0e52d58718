// tagcheck reports which language tags a vendored module covers. That module has a source file
// named coverage.go, which a build context must keep.
package main

import (
	"fmt"

	"example.com/langtag"
)

func main() {
	for _, tag := range []string{"en-GB", "fr", "xx"} {
		fmt.Printf("%s known=%v\n", tag, langtag.Known(tag))
	}
}
