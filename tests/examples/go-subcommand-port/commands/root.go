package commands

import (
	"fmt"
	"os"

	"example.test/fnctl/internal/cli"
)

var rootCmd = &cli.Command{Use: "fnctl", Short: "manage functions"}

var gateway string

func init() {
	rootCmd.Flags().StringVar(&gateway, "gateway", "http://127.0.0.1:8080", "gateway URL")
	rootCmd.AddCommand(versionCmd)
}

func Execute(args []string) int {
	if err := rootCmd.Execute(args, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
