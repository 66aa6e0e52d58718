package main

import (
	"fmt"
	"log"
	"net/http"

	"example.com/apiworker/internal/greet"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, greet.Message("api"))
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
