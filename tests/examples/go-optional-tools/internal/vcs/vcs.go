// Package vcs names the repository a directory belongs to, when git is there to ask.
package vcs

import (
	"os/exec"
	"strings"
)

// Origin is the remote's URL, or "none" when git is missing or the directory has no remote.
func Origin(dir string) string {
	cmd := exec.Command("git", "config", "--get", "remote.origin.url")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil || len(out) == 0 {
		return "none"
	}
	return strings.TrimSpace(string(out))
}
