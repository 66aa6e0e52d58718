package main

import (
	"fmt"
	"log"
	"net/http"

	"example.com/envport/config"
)

func main() {
	settings := config.New()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello from the env-default port")
	})
	log.Fatal(http.ListenAndServe(fmt.Sprintf(":%d", settings.TCPPort), nil))
}
