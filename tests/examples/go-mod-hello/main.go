package main

import (
	"fmt"
	"runtime"
)

func main() {
	fmt.Println("hello from a module")
	fmt.Println("built with " + runtime.Version()[:6])
}
