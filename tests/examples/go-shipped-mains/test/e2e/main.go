// Drives the service end to end in CI.
package main

import (
	"log"
	"net/http"
)

func main() {
	log.Fatal(http.ListenAndServe(":7070", nil))
}
