package main

import (
	"os"

	"example.test/fnctl/commands"
)

func main() {
	os.Exit(commands.Execute(os.Args[1:]))
}
