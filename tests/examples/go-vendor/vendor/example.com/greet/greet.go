// Package greet is a tiny dependency committed under vendor/.
package greet

func Hello(who string) string {
	return "hello, " + who + ", from a vendored module"
}
