// Package config reads the program's settings from the environment.
package config

import (
	"os"
	"strconv"
	"strings"
)

// Config holds the settings the server needs.
type Config struct {
	TCPPort int
}

// New reads the settings, each with its default.
func New() Config {
	envMap := map[string]string{}
	for _, kv := range os.Environ() {
		if key, value, ok := strings.Cut(kv, "="); ok {
			envMap[key] = value
		}
	}
	return Config{TCPPort: getInt(envMap, "port", 8081)}
}

// getInt reads an integer setting from the environment map, else the default.
func getInt(env map[string]string, key string, fallback int) int {
	if v, ok := env[key]; ok {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return fallback
}
