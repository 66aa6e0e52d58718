package main

import (
	"fmt"

	"example.test/greet"
)

func main() {
	fmt.Println(greet.Hello("proxy"))
	fmt.Println(channel)
}
