// Package vault is a private module: the tests' module proxy serves it only with the
// credentials of the build's .netrc secret.
package vault

// Open says what the private module holds.
func Open() string { return "opened private.example.test/vault" }
