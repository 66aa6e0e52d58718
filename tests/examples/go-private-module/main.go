package main

import (
	"fmt"

	"private.example.test/vault"
)

func main() {
	fmt.Println(vault.Open())
}
