package langtag

// covered lists the base languages this package knows, like golang.org/x/text's coverage.go.
var covered = map[string]bool{"en": true, "fr": true, "de": true}
