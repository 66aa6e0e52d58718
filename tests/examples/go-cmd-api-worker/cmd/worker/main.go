package main

import (
	"fmt"

	"example.com/apiworker/internal/greet"
)

func main() {
	fmt.Println(greet.Message("worker"))
}
