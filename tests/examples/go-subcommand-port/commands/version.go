package commands

import (
	"fmt"

	"example.test/fnctl/internal/cli"
)

var versionCmd = &cli.Command{
	Use:   "version",
	Short: "print the version",
	RunE: func(cmd *cli.Command, args []string) error {
		fmt.Println("fnctl 0.4.2")
		return nil
	},
}
