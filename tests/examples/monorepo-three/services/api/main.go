// The api service of the monorepo example: answers one health check and exits.
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	name := "api"
	if len(os.Args) > 1 {
		name = strings.Join(os.Args[1:], " ")
	}
	fmt.Printf("%s: ready\n", name)
}
