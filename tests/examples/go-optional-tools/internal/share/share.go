// Package share uploads notes with curl, a feature offered only where curl is installed.
package share

import "os/exec"

// Available reports whether curl is on PATH.
func Available() string {
	if _, err := exec.LookPath("curl"); err != nil {
		return "unavailable"
	}
	return "available"
}
