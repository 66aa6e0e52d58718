// The inventory service: the program this repository ships.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	_ "net/http/pprof" // profiling on the debug listener only

	"example.com/inventory/internal/store"
)

func main() {
	addr := flag.String("addr", ":8090", "address the service listens on")
	flag.Parse()

	// The debug listener: loopback only, never the service port.
	go func() { log.Println(http.ListenAndServe("localhost:6060", nil)) }()

	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "inventory ok: %d items\n", store.Count())
	})
	log.Printf("listening on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, mux))
}
