package main

import (
	"fmt"
	"os"

	"example.com/wordcase"
)

func main() {
	for _, word := range os.Args[1:] {
		fmt.Println(wordcase.Title(word))
	}
}
