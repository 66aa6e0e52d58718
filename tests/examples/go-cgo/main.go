package main

// #include "add.h"
import "C"

import "fmt"

func main() {
	fmt.Printf("cgo says %d\n", int(C.add(40, 2)))
}
