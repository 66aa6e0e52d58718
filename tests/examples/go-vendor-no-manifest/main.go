package main

import (
	"fmt"

	"example.test/legacycolor"
)

func main() {
	fmt.Println(legacycolor.Paint("from the module proxy"))
}
