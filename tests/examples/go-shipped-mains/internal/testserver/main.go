// A fake upstream the integration tests start; not part of the product.
package main

import (
	"log"
	"net/http"
)

func main() {
	log.Fatal(http.ListenAndServe(":9999", http.NotFoundHandler()))
}
