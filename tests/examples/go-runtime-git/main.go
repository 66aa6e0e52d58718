// gitinfo runs git, which the image must carry: it reports git's major version and makes a
// repository in a temporary directory.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	out, err := exec.Command("git", "--version").Output()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gitinfo: cannot run git:", err)
		os.Exit(1)
	}
	words := strings.Fields(string(out)) // git version 2.47.3
	if len(words) < 3 {
		fmt.Fprintf(os.Stderr, "gitinfo: unexpected output %q\n", out)
		os.Exit(1)
	}
	fmt.Println(words[0], words[1], strings.SplitN(words[2], ".", 2)[0])

	dir, err := os.MkdirTemp("", "repo")
	if err != nil {
		fmt.Fprintln(os.Stderr, "gitinfo:", err)
		os.Exit(1)
	}
	defer os.RemoveAll(dir)
	if out, err := exec.Command("git", "init", "--quiet", dir).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "gitinfo: git init: %v: %s\n", err, out)
		os.Exit(1)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git", "HEAD")); err != nil {
		fmt.Fprintln(os.Stderr, "gitinfo: no repository:", err)
		os.Exit(1)
	}
	fmt.Println("repository: ok")
}
