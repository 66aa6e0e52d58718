// Package wordcase is vendored the way Go before 1.14 vendored: no vendor/modules.txt.
package wordcase

import "strings"

// Title upper-cases the first letter of word.
func Title(word string) string {
	if word == "" {
		return word
	}
	return strings.ToUpper(word[:1]) + word[1:]
}
