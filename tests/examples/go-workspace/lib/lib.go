// Package lib is the workspace's second module.
package lib

func Greeting() string {
	return "hello from the workspace's lib module"
}
