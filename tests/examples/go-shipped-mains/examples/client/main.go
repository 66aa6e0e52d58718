// How to call the service from Go.
package main

import "fmt"

func main() { fmt.Println("GET http://localhost:8090/") }
