package main

import (
	"fmt"
	"os/user"
)

// The seed tutorial's program, printing once instead of every second.
func main() {
	user, err := user.Current()
	if err != nil {
		panic(err)
	}
	fmt.Println("user: " + user.Username + " id: " + user.Uid)
}
