package main

import (
	"html/template"
	"log"
	"net/http"
	"time"
)

func main() {
	// Needs the time zone database: on scratch it comes from -tags timetzdata.
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		log.Fatal(err)
	}
	// Read at run time from the working directory, not embedded.
	page := template.Must(template.ParseFiles("templates/index.html"))
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		data := map[string]string{"Zone": berlin.String()}
		if err := page.Execute(w, data); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	log.Print("listening on :8000")
	log.Fatal(http.ListenAndServe(":8000", nil))
}
