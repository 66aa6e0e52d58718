// Package greet is shared by the api and worker programs.
package greet

func Message(who string) string {
	return who + " ok"
}
